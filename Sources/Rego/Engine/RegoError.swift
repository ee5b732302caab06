/// The one error type of the Rego engine: an OPA error code, OPA's message text and where it happened.
public struct RegoError: Error, Sendable, CustomStringConvertible {
    /// OPA's error codes.
    public enum Code: String, Sendable {
        case parse = "rego_parse_error"
        case compile = "rego_compile_error"
        case type = "rego_type_error"
        case unsafeVar = "rego_unsafe_var_error"
        case recursion = "rego_recursion_error"
        case evalType = "eval_type_error"
        case evalConflict = "eval_conflict_error"
        case evalBuiltin = "eval_builtin_error"
        case evalCancel = "eval_cancel_error"
        case evalLimit = "eval_limit_error"
        case internalError = "rego_internal_error"
        case loadError = "load_error"
    }

    /// The OPA error code.
    public var code: Code
    /// OPA's message text (without location or code).
    public var message: String
    /// Where the error was found, when known.
    public var location: SourceLocation?
    /// Extra lines shown under the message (OPA's `details`), e.g. the source line and a caret.
    public var details: [String]

    /// Creates an error.
    public init(_ code: Code, _ message: String, _ location: SourceLocation? = nil, details: [String] = []) {
        self.code = code
        self.message = message
        self.location = location
        self.details = details
    }

    /// `file:row: code: message`, as OPA prints one error.
    public var description: String {
        var s = ""
        if let l = location { s += "\(l.file):\(l.row): " }
        s += "\(code.rawValue): \(message)"
        for d in details { s += "\n\t\(d)" }
        return s
    }

    /// Attaches the offending source line and a caret, as a compiler does.
    func withSourceLine(_ sources: [String: String]) -> RegoError {
        guard let l = location, let src = sources[l.file] else { return self }
        let lines = src.split(separator: "\n", omittingEmptySubsequences: false)
        guard l.row >= 1 && l.row <= lines.count else { return self }
        var e = self
        let line = String(lines[l.row - 1])
        e.details = [line, String(repeating: " ", count: max(0, l.col - 1)) + "^"]
        return e
    }
}

/// Several errors found together (OPA reports all compile errors of a module at once).
public struct RegoErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, in source order.
    public var errors: [RegoError]

    /// Creates the list.
    public init(_ errors: [RegoError]) { self.errors = errors }

    /// OPA's rendering: `N errors occurred:` then one per line.
    public var description: String {
        if errors.count == 1 { return errors[0].description }
        return "\(errors.count) errors occurred:\n" + errors.map(\.description).joined(separator: "\n")
    }
}
