import SandboxPolicy

/// What `cordon run` was asked, as typed values: the CLI builds it, `Session` resolves it.
public struct SessionRequest: Sendable, Equatable {
    public var program: [String]
    /// `--workspace`, or `nil` for the current directory.
    public var workspace: String?
    public var allowRead: [String]
    public var allowWrite: [String]
    public var allowExec: [String]
    /// `--capability` texts.
    public var capabilities: [String]
    /// `--memory` text (`512M`, `8G`, bytes).
    public var memory: String?
    /// `--pids` text.
    public var pids: String?
    /// `--seccomp-profile` path.
    public var seccompProfile: String?
    public var bestEffort: Bool
    /// Layers to keep on (all but for layer-alone tests).
    public var layers: Layers
    /// Cordon's own files outside its XDG directories (the audit directory, a signing key),
    /// which the sandbox must not see.
    public var cordonPaths: [String] = []
    /// `--allow-local-port`: ports of servers the program runs inside the sandbox that it may
    /// connect to, beyond the common development ports.
    public var localPorts: [UInt16] = []

    /// Creates a request.
    public init(
        program: [String], workspace: String? = nil, allowRead: [String] = [], allowWrite: [String] = [],
        allowExec: [String] = [], capabilities: [String] = [], memory: String? = nil, pids: String? = nil,
        seccompProfile: String? = nil, bestEffort: Bool = false, layers: Layers = .all
    ) {
        self.program = program
        self.workspace = workspace
        self.allowRead = allowRead
        self.allowWrite = allowWrite
        self.allowExec = allowExec
        self.capabilities = capabilities
        self.memory = memory
        self.pids = pids
        self.seccompProfile = seccompProfile
        self.bestEffort = bestEffort
        self.layers = layers
    }
}
