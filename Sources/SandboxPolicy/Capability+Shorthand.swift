/// `--allow-read P`, `--allow-write P`, `--allow-exec P`: file or directory decided by what P is.
extension Capability {
    /// What a shorthand option grants.
    public enum Shorthand: String, Sendable {
        case read, write, exec

        /// The option's name, for messages.
        public var option: String { "--allow-\(rawValue)" }
    }

    /// Resolves a shorthand. `path` may be relative (to `currentDirectory`), start with `~/` or
    /// `$WORKSPACE/`; `..` is taken lexically.
    public init(
        shorthand: Shorthand, path: String, expansion: PathExpansion, currentDirectory: String, facts: any FileSystemFacts
    ) throws(CapabilityError) {
        let text = "\(shorthand.option) \(path)"
        var candidate = path
        if !(path.hasPrefix("/") || path.hasPrefix("~") || path.hasPrefix("$WORKSPACE") || path.hasPrefix("${WORKSPACE}")) {
            guard let resolved = PathText.resolve(path, against: currentDirectory) else {
                throw .invalid(text: text, expected: "a path that stays below /")
            }
            candidate = resolved
        } else if path.hasPrefix("/"), let resolved = PathText.resolve(path, against: "/") {
            candidate = resolved
        }
        let absolute = try expansion.expand(candidate, in: text)
        let kind = facts.kind(of: absolute)
        switch (shorthand, kind) {
        case (.read, .directory?): self = .readDirectory(absolute)
        case (.read, .regular?): self = .readFile(absolute)
        case (.write, .directory?): self = .writeDirectory(absolute)
        case (.write, .regular?): self = .writeFile(absolute)
        case (.exec, .directory?), (.exec, .regular?): self = .execute(absolute)
        case (.read, .socket?), (.write, .socket?): self = .unixSocket(absolute)
        default:
            throw ProfileCompiler.wrongKind(text, absolute, kind, expected: "an existing file or directory")
        }
    }
}
