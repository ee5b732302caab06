/// Everything a session asks for, before compilation: the program, who runs it, where, and
/// with which capabilities and limits.
public struct Profile: Sendable {
    /// The program and its arguments.
    public var argv: [String]
    /// The workspace: readable, writable and executable (absolute, normalised).
    public var workspace: String
    /// Directory inside the sandbox to start in (the caller's working directory when it lies
    /// in the workspace, otherwise the workspace).
    public var workingDirectory: String
    public var user: UserIdentity
    /// The caller's environment, filtered by the compiler to the allow-list and `env:` grants.
    public var hostEnvironment: [String: String]
    /// Capabilities granted on top of the default set.
    public var capabilities: [Capability]
    /// Memory cap in bytes (`nil`: the default).
    public var memoryLimit: UInt64?
    /// Process cap (`nil`: the default).
    public var processLimit: UInt64?
    /// A user's OCI profile, installed after Cordon's allow-list.
    public var seccompProfile: SeccompFilter?
    public var terminal: TerminalMode
    /// Start even when a layer is unavailable, and say which ones are off.
    public var bestEffort: Bool
    /// Layers to turn on (all, unless testing one layer alone).
    public var layers: Layers

    /// Creates a profile with the default limits and every layer.
    public init(
        argv: [String], workspace: String, workingDirectory: String? = nil, user: UserIdentity,
        hostEnvironment: [String: String], capabilities: [Capability] = [], memoryLimit: UInt64? = nil,
        processLimit: UInt64? = nil, seccompProfile: SeccompFilter? = nil, terminal: TerminalMode,
        bestEffort: Bool = false, layers: Layers = .all
    ) {
        self.argv = argv
        self.workspace = workspace
        self.workingDirectory = workingDirectory ?? workspace
        self.user = user
        self.hostEnvironment = hostEnvironment
        self.capabilities = capabilities
        self.memoryLimit = memoryLimit
        self.processLimit = processLimit
        self.seccompProfile = seccompProfile
        self.terminal = terminal
        self.bestEffort = bestEffort
        self.layers = layers
    }

    /// Default memory cap: 8 GiB, enough for builds and language servers, and a stop to a
    /// runaway allocation before it takes the desktop.
    public static let defaultMemoryLimit: UInt64 = 8 << 30
    /// Default process cap: a fork bomb stops here, a parallel build does not.
    public static let defaultProcessLimit: UInt64 = 1024
}

/// The person the sandboxed program runs as (mapped to itself in the user namespace).
public struct UserIdentity: Sendable, Equatable, Codable {
    public var name: String
    public var uid: UInt32
    public var gid: UInt32
    public var groupName: String
    /// From `$HOME`.
    public var home: String
    public var shell: String

    /// Creates an identity.
    public init(name: String, uid: UInt32, gid: UInt32, groupName: String, home: String, shell: String) {
        self.name = name
        self.uid = uid
        self.gid = gid
        self.groupName = groupName
        self.home = home
        self.shell = shell
    }
}
