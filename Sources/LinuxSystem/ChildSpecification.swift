import CCordonLinux

/// Everything the C child needs, in the child's own terms: mount paths already carry the
/// staging prefixes, rights are raw kernel bits. Built by the launcher from a launch plan and
/// flattened into C arrays before the clone, so the child allocates nothing.
public struct ChildSpecification: Sendable {
    /// Where the host root stays visible while the view is built; mount sources are prefixed with it.
    public static let stagingOldRoot = CORDON_STAGING_OLD_ROOT
    /// Where the new root is staged; mount targets and ptmx links are prefixed with it.
    public static let stagingNewRoot = CORDON_STAGING_NEW_ROOT

    /// `CORDON_NS_*` bits (the values of `SandboxPolicy.Namespaces`).
    public var namespaces: UInt32
    /// `CORDON_LAYER_*` bits (the values of `SandboxPolicy.Layers`).
    public var layers: UInt32
    /// The single uid and gid mapped into the user namespace.
    public var insideUID: UInt32, outsideUID: UInt32, insideGID: UInt32, outsideGID: UInt32
    /// The program and its arguments.
    public var argv: [String]
    /// `NAME=value` entries.
    public var environment: [String]
    /// `PATH` used to resolve a slash-less `argv[0]`.
    public var searchPath: String?
    /// Working directory in the final root.
    public var workingDirectory: String?
    /// Host name in the UTS namespace.
    public var hostname: String?
    /// Filesystem steps, in order.
    public var mounts: [ChildMount]
    /// How many of `mounts`, the first, the child applies as soon as it is cloned, before it is
    /// told to go: the view's base, which a clone from a plan's shape is given alone.
    public var baseMountCount: Int
    /// The Landlock ruleset, or `nil` for none.
    public var landlock: ChildLandlock?
    /// Classic BPF programs, installed in order.
    public var seccomp: [[ChildBPFInstruction]]
    /// `setrlimit` calls.
    public var resourceLimits: [ChildResourceLimit]
    /// The `ptmx` to open in the final root for a relayed terminal, or `nil` to keep 0, 1 and 2.
    public var pseudoTerminal: String?
    /// With a pseudo-terminal, which standard streams it becomes (bit n for stream n); the
    /// others are inherited.
    public var terminalStreams: UInt32
    /// The pty's window size (rows, columns, pixel width, pixel height) before the program
    /// starts, or `nil` for the kernel's default.
    public var terminalSize: (rows: UInt16, columns: UInt16, xPixels: UInt16, yPixels: UInt16)?
    /// Loopback listeners to create in the new network namespace, in order.
    public var listeners: [ChildListener]
    /// `cgroup.procs` files (v2 groups) the parent writes the child's pid into before releasing it.
    public var cgroupProcessFiles: [String]
    /// v1 groups: `tasks` files the spawning thread moves itself into for the clone, so that
    /// the child is born inside them, and the `tasks` files of its own groups it moves back to,
    /// pairwise.
    public var cgroupThreadMoves: [(enter: String, leave: String)]
    /// The host directory the staging tmpfs is mounted over (hidden only inside the child).
    public var stagingBase: String
    /// The ephemeral port range to set in the new network namespace, or `nil` to keep the kernel's.
    public var localPortRange: ClosedRange<UInt16>?

    /// Creates an empty specification that runs `argv` with nothing applied.
    public init(argv: [String], environment: [String]) {
        self.namespaces = 0
        self.layers = 0
        self.insideUID = 0
        self.outsideUID = 0
        self.insideGID = 0
        self.outsideGID = 0
        self.argv = argv
        self.environment = environment
        self.searchPath = nil
        self.workingDirectory = nil
        self.hostname = nil
        self.mounts = []
        self.baseMountCount = 0
        self.landlock = nil
        self.seccomp = []
        self.resourceLimits = []
        self.pseudoTerminal = nil
        self.terminalStreams = 0b111
        self.terminalSize = nil
        self.listeners = []
        self.cgroupProcessFiles = []
        self.cgroupThreadMoves = []
        self.stagingBase = "/tmp"
        self.localPortRange = nil
    }
}

/// One filesystem step of the child (`enum cordon_mount_kind`), paths already prefixed.
public enum ChildMount: Sendable, Equatable {
    /// tmpfs with mount options such as `mode=0755,size=1048576`.
    case tmpfs(target: String, options: String)
    /// A directory (and its missing parents).
    case directory(target: String, mode: UInt32)
    /// A file with the given contents.
    case file(target: String, contents: [UInt8], mode: UInt32)
    /// A symbolic link.
    case symlink(target: String, destination: String)
    /// A recursive bind, read-only unless writable, noexec unless executable, always nosuid and nodev.
    case bind(source: String, target: String, writable: Bool, executable: Bool)
    /// A device node bound from the host (nosuid, noexec).
    case device(source: String, target: String)
    /// A fresh procfs with its sensitive entries read-only or masked.
    case proc(target: String)
    /// devpts at `target`, with a symlink at `ptmxLink` pointing to `ptmxDestination`.
    case devpts(target: String, ptmxLink: String, ptmxDestination: String)
    /// Hides a file (with /dev/null) or a directory (with an empty read-only tmpfs).
    case mask(target: String)
    /// Makes the mount at target read-only.
    case remountReadOnly(target: String)
}

/// A Landlock ruleset in kernel bits.
public struct ChildLandlock: Sendable {
    /// The kernel's ABI; decides the size of the ruleset attribute passed to the kernel.
    public var abi: Int
    /// `LANDLOCK_ACCESS_FS_*` bits the ruleset handles.
    public var handledFilesystem: UInt64
    /// `LANDLOCK_ACCESS_NET_*` bits the ruleset handles.
    public var handledNetwork: UInt64
    /// `LANDLOCK_SCOPE_*` bits.
    public var scopes: UInt64
    /// Paths in the final root and the rights granted beneath them.
    public var pathRules: [(path: String, access: UInt64)]
    /// TCP ports and the rights granted on them.
    public var portRules: [(port: UInt16, access: UInt64)]

    /// Creates a ruleset.
    public init(
        abi: Int, handledFilesystem: UInt64, handledNetwork: UInt64, scopes: UInt64,
        pathRules: [(path: String, access: UInt64)], portRules: [(port: UInt16, access: UInt64)]
    ) {
        self.abi = abi
        self.handledFilesystem = handledFilesystem
        self.handledNetwork = handledNetwork
        self.scopes = scopes
        self.pathRules = pathRules
        self.portRules = portRules
    }
}

/// One `struct sock_filter`.
public struct ChildBPFInstruction: Sendable, Equatable {
    /// The `sock_filter` fields.
    public var code: UInt16, jt: UInt8, jf: UInt8, k: UInt32
    /// Creates an instruction.
    public init(code: UInt16, jt: UInt8, jf: UInt8, k: UInt32) {
        self.code = code
        self.jt = jt
        self.jf = jf
        self.k = k
    }
}

/// One `setrlimit` call.
public struct ChildResourceLimit: Sendable, Equatable {
    /// `RLIMIT_*` and the soft and hard values.
    public var resource: Int32, soft: UInt64, hard: UInt64
    /// Creates a limit.
    public init(resource: Int32, soft: UInt64, hard: UInt64) {
        self.resource = resource
        self.soft = soft
        self.hard = hard
    }
}

/// A TCP listener on a numeric loopback address.
public struct ChildListener: Sendable, Equatable {
    /// An IPv4 or IPv6 literal (`127.0.0.1`, `::1`).
    public var address: String
    /// The port; 0 lets the kernel choose.
    public var port: UInt16
    /// Creates a listener.
    public init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }
}
