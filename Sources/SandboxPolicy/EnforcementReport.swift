/// What a session enforces, layer by layer: shown by `cordon doctor`, printed by `run
/// --best-effort`, and recorded in the audit log. Nothing ever runs less confined than this says.
public struct EnforcementReport: Sendable, Equatable, Codable {
    /// One line of the report.
    public struct Entry: Sendable, Equatable, Codable {
        /// Stable identifier, e.g. `"namespaces.user"`, `"landlock"`, `"seccomp"`, `"cgroup.pids"`.
        public var layer: String
        public var status: Status
        /// The level applied (e.g. `"ABI 7"`), or why the layer is off and how to turn it on.
        public var detail: String
        public init(layer: String, status: Status, detail: String) {
            self.layer = layer
            self.status = status
            self.detail = detail
        }
    }

    /// Whether a layer is on.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Applied as planned.
        case enforced
        /// Applied at a lower level than Cordon would like (e.g. an older Landlock ABI).
        case partial
        /// Off; only allowed with explicit best effort, or when the user switched it off.
        case off
    }

    public var entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }

    /// Entries that are not fully enforced.
    public var weakened: [Entry] { entries.filter { $0.status != .enforced } }
}
