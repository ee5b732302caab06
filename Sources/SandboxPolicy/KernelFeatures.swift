/// What the running kernel can enforce, as probed by the launcher. A plain value so that plan
/// compilation stays pure and tests can ask "what would we do on a kernel without X".
public struct KernelFeatures: Sendable, Equatable, Codable {
    /// Landlock ABI version, or `nil` when Landlock is unavailable (not built, not enabled in
    /// the `lsm=` list, or refused).
    public var landlockABI: Int?
    /// `seccomp(SECCOMP_SET_MODE_FILTER)` works.
    public var seccompFilter: Bool
    /// `SECCOMP_RET_USER_NOTIF` is available.
    public var seccompUserNotification: Bool
    /// The caller can create a user namespace.
    public var userNamespaces: Bool
    /// cgroup controllers through which memory and process limits can be applied, or `nil`.
    public var memoryController: CgroupController?
    public var pidsController: CgroupController?
    /// Free-form reasons for anything unavailable, keyed by feature, for the report.
    public var notes: [String: String]

    public init(
        landlockABI: Int?, seccompFilter: Bool, seccompUserNotification: Bool, userNamespaces: Bool,
        memoryController: CgroupController?, pidsController: CgroupController?, notes: [String: String] = [:]
    ) {
        self.landlockABI = landlockABI
        self.seccompFilter = seccompFilter
        self.seccompUserNotification = seccompUserNotification
        self.userNamespaces = userNamespaces
        self.memoryController = memoryController
        self.pidsController = pidsController
        self.notes = notes
    }
}

/// Where a cgroup controller can be used from.
public struct CgroupController: Sendable, Equatable, Codable {
    public enum Version: String, Sendable, Codable { case v1, v2 }
    public var version: Version
    /// The directory under which Cordon may create its per-session group.
    public var parentDirectory: String
    public init(version: Version, parentDirectory: String) {
        self.version = version
        self.parentDirectory = parentDirectory
    }
}
