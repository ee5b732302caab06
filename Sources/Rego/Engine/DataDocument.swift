import Yams

/// Reading base documents (`--data` files) into values and merging them.
public enum DataDocument {
    /// Parses JSON text.
    public static func json(_ text: String) throws -> Value {
        try JSONReader.parse(text)
    }

    /// Parses YAML text (an empty document is an empty object).
    public static func yaml(_ text: String) throws -> Value {
        guard let node = try Yams.compose(yaml: text) else { return .object([:]) }
        return value(node)
    }

    private static func value(_ node: Node) -> Value {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                if let v = Bool.construct(from: s) { return .bool(v) }
                if NSNullish.isNull(s.string) { return .null }
                if let i = Int(s.string) { return .int(i) }
                if let d = Double.construct(from: s) { return .double(d) }
            }
            return .string(s.string)
        case .sequence(let seq):
            return .array(seq.map(value))
        case .mapping(let m):
            var o: [Value: Value] = [:]
            for (k, v) in m { o[.string(k.string ?? "")] = value(v) }
            return .object(o)
        default:
            return .null
        }
    }

    private enum NSNullish {
        static func isNull(_ s: String) -> Bool { s == "null" || s == "~" || s == "Null" || s == "NULL" || s.isEmpty }
    }

    /// Places `value` at `path` inside `into`, merging objects recursively; a clash of
    /// non-objects is an error naming the path.
    public static func merge(_ into: Value, _ value: Value, at path: [String]) throws -> Value {
        guard let first = path.first else {
            guard case .object(var a) = into, case .object(let b) = value else {
                if case .object(let a) = into, a.isEmpty { return value }
                throw RegoError(.loadError, "merge error: conflicting values")
            }
            for (k, v) in b {
                if let existing = a[k] { a[k] = try merge(existing, v, at: []) } else { a[k] = v }
            }
            return .object(a)
        }
        guard case .object(var o) = into else { throw RegoError(.loadError, "merge error at \(first): not an object") }
        o[.string(first)] = try merge(o[.string(first)] ?? .object([:]), value, at: Array(path.dropFirst()))
        return .object(o)
    }
}
