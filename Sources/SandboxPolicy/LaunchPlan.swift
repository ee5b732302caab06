/// Everything the launcher does to start one confined program, decided in advance by pure code.
///
/// The launcher applies a plan and makes no decisions of its own (bubblewrap's setup ops are the
/// model). Tests compare whole plans. Paths in `mounts` targets and in `landlock` rules are paths
/// inside the new root; `MountStep.bind` sources are host paths.
public struct LaunchPlan: Sendable, Equatable, Codable {
    /// The program and its arguments; `argv[0]` is resolved against `PATH` in `environment`
    /// inside the new root when it has no slash.
    public var argv: [String]
    /// The complete environment, as `NAME=value` entries, sorted by name.
    public var environment: [String]
    /// Working directory inside the new root.
    public var workingDirectory: String
    /// Host name inside the UTS namespace.
    public var hostname: String
    /// Namespaces to create.
    public var namespaces: Namespaces
    /// User and group mapping for the user namespace.
    public var idMapping: IDMapping
    /// Filesystem steps, applied in order in the new root before `pivot_root` completes.
    public var mounts: [MountStep]
    /// How many of `mounts`, the first, are the view's base: the same for every session of this
    /// user on this machine, so part of the plan's shape, and applied by a sandbox cloned from
    /// the shape while the rest of the plan is still being compiled.
    public var baseMountCount: Int
    /// The Landlock ruleset, or `nil` when this layer is off.
    public var landlock: LandlockPlan?
    /// Seccomp programs, installed in order after everything else (the first is Cordon's own
    /// allow-list; later ones, such as a user's OCI profile, can only narrow it).
    public var seccomp: [SeccompProgram]
    /// Resource limits set with `setrlimit` in the child.
    public var resourceLimits: [ResourceLimit]
    /// Limits applied through cgroup controllers, when the kernel offers them.
    public var cgroupLimits: CgroupLimits
    /// How the program's standard streams are connected.
    public var terminal: TerminalMode
    /// With `.relayedPseudoTerminal`, the standard streams the pseudo-terminal becomes: those
    /// that are terminals outside. The others are inherited as they are, so they must not be
    /// terminals (the supervisor relays every stream that is one).
    public var terminalStreams: StandardStreams
    /// The pseudo-terminal's window size before the program starts, so that its first
    /// `TIOCGWINSZ` sees the person's size; `nil` leaves the kernel's 0x0.
    public var terminalSize: TerminalSize?
    /// Which enforcement layers the plan turns on (all, unless testing one layer alone or
    /// running with explicit best effort).
    public var layers: Layers
    /// TCP listeners the launcher creates inside the sandbox's network namespace (after loopback
    /// is up) and hands to the supervisor, in order: the egress proxy's endpoint and forwarded
    /// host ports. The supervisor accepts on them from outside.
    public var listeners: [LoopbackListener]
    /// The ephemeral port range (`net.ipv4.ip_local_port_range`) of the sandbox's own network
    /// namespace, or `nil` to keep the kernel's. Narrowed so that servers the program binds to
    /// port 0 land on ports its Landlock connect rules cover.
    public var localPortRange: LocalPortRange?

    public init(
        argv: [String], environment: [String], workingDirectory: String, hostname: String = "cordon",
        namespaces: Namespaces = .all, idMapping: IDMapping, mounts: [MountStep], baseMountCount: Int = 0, landlock: LandlockPlan?,
        seccomp: [SeccompProgram], resourceLimits: [ResourceLimit], cgroupLimits: CgroupLimits,
        terminal: TerminalMode, layers: Layers = .all, listeners: [LoopbackListener] = [],
        terminalStreams: StandardStreams = .all, terminalSize: TerminalSize? = nil,
        localPortRange: LocalPortRange? = nil
    ) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.hostname = hostname
        self.namespaces = namespaces
        self.idMapping = idMapping
        self.mounts = mounts
        self.baseMountCount = baseMountCount
        self.landlock = landlock
        self.seccomp = seccomp
        self.resourceLimits = resourceLimits
        self.cgroupLimits = cgroupLimits
        self.terminal = terminal
        self.layers = layers
        self.listeners = listeners
        self.terminalStreams = terminalStreams
        self.terminalSize = terminalSize
        self.localPortRange = localPortRange
    }
}

extension LaunchPlan {
    private enum CodingKeys: String, CodingKey {
        case argv, environment, workingDirectory, hostname, namespaces, idMapping, mounts, baseMountCount, landlock, seccomp
        case resourceLimits, cgroupLimits, terminal, layers, listeners, terminalStreams, terminalSize
        case localPortRange
    }

    /// Decodes a plan; `baseMountCount`, `listeners`, `terminalStreams`, `terminalSize` and
    /// `localPortRange`, added after the first plans were written, default to no base, none, all
    /// three streams, the kernel's size and the kernel's range.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            argv: try c.decode([String].self, forKey: .argv),
            environment: try c.decode([String].self, forKey: .environment),
            workingDirectory: try c.decode(String.self, forKey: .workingDirectory),
            hostname: try c.decode(String.self, forKey: .hostname),
            namespaces: try c.decode(Namespaces.self, forKey: .namespaces),
            idMapping: try c.decode(IDMapping.self, forKey: .idMapping),
            mounts: try c.decode([MountStep].self, forKey: .mounts),
            baseMountCount: try c.decodeIfPresent(Int.self, forKey: .baseMountCount) ?? 0,
            landlock: try c.decodeIfPresent(LandlockPlan.self, forKey: .landlock),
            seccomp: try c.decode([SeccompProgram].self, forKey: .seccomp),
            resourceLimits: try c.decode([ResourceLimit].self, forKey: .resourceLimits),
            cgroupLimits: try c.decode(CgroupLimits.self, forKey: .cgroupLimits),
            terminal: try c.decode(TerminalMode.self, forKey: .terminal),
            layers: try c.decode(Layers.self, forKey: .layers),
            listeners: try c.decodeIfPresent([LoopbackListener].self, forKey: .listeners) ?? [],
            terminalStreams: try c.decodeIfPresent(StandardStreams.self, forKey: .terminalStreams) ?? .all,
            terminalSize: try c.decodeIfPresent(TerminalSize.self, forKey: .terminalSize),
            localPortRange: try c.decodeIfPresent(LocalPortRange.self, forKey: .localPortRange))
    }
}

/// An inclusive range of TCP/UDP ports the kernel picks ephemeral ports from.
public struct LocalPortRange: Sendable, Equatable, Codable {
    /// The lowest port.
    public var first: UInt16
    /// The highest port.
    public var last: UInt16
    /// Creates a range; `first` must not exceed `last`.
    public init(first: UInt16, last: UInt16) {
        self.first = first
        self.last = last
    }
}

/// A listening TCP socket on a loopback address inside the sandbox.
public struct LoopbackListener: Sendable, Equatable, Codable {
    /// A numeric loopback address: `127.0.0.1` (any of 127.0.0.0/8) or `::1`.
    public var address: String
    /// The port; 0 lets the kernel choose one.
    public var port: UInt16
    public init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }
}

/// Namespaces the launcher creates (`CLONE_NEW*`).
public struct Namespaces: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let user = Namespaces(rawValue: 1 << 0)
    public static let mount = Namespaces(rawValue: 1 << 1)
    public static let pid = Namespaces(rawValue: 1 << 2)
    public static let ipc = Namespaces(rawValue: 1 << 3)
    public static let uts = Namespaces(rawValue: 1 << 4)
    public static let network = Namespaces(rawValue: 1 << 5)
    public static let cgroup = Namespaces(rawValue: 1 << 6)
    public static let all: Namespaces = [.user, .mount, .pid, .ipc, .uts, .network, .cgroup]
}

/// The single uid and gid mapped into the user namespace (the caller's own, inside and out).
public struct IDMapping: Sendable, Equatable, Codable {
    public var insideUID: UInt32
    public var outsideUID: UInt32
    public var insideGID: UInt32
    public var outsideGID: UInt32
    public init(insideUID: UInt32, outsideUID: UInt32, insideGID: UInt32, outsideGID: UInt32) {
        self.insideUID = insideUID
        self.outsideUID = outsideUID
        self.insideGID = insideGID
        self.outsideGID = outsideGID
    }
}

/// One filesystem step in the new root. Every mount is `nosuid,nodev`; binds keep the locked
/// flags of their source when remounted read-only.
public enum MountStep: Sendable, Equatable, Codable {
    /// A tmpfs at `target` with the given mode and size cap in bytes.
    case tmpfs(target: String, mode: UInt32, sizeBytes: UInt64)
    /// A directory created at `target` (and its missing parents, mode 0755).
    case directory(target: String, mode: UInt32)
    /// A file created at `target` with `contents` (synthesized passwd, group, ...).
    case file(target: String, contents: String, mode: UInt32)
    /// A symbolic link at `target` pointing to `destination`.
    case symlink(target: String, destination: String)
    /// A recursive bind of host `source` at `target`; read-only unless `writable`.
    /// `noexec` unless `executable`.
    case bind(source: String, target: String, writable: Bool, executable: Bool)
    /// A device node bound from the host (`/dev/null`, `/dev/zero`, ...).
    case device(source: String, target: String)
    /// A fresh procfs for the new pid namespace, with the sensitive entries read-only or masked.
    case proc(target: String)
    /// A new devpts instance (`newinstance,ptmxmode=0666`) with `ptmx` linked beside it.
    case devpts(target: String)
    /// Hides `target`: `/dev/null` over a file, an empty read-only tmpfs over a directory.
    case mask(target: String)
    /// Remounts `target` read-only (used for the root tmpfs once it is populated).
    case remountReadOnly(target: String)
}

/// The Landlock ruleset mirroring the view.
public struct LandlockPlan: Sendable, Equatable, Codable {
    /// The lowest ABI whose rights this ruleset needs; a kernel below it is a failed layer.
    public var minimumABI: Int
    /// Filesystem rights the ruleset handles (denied unless a rule grants them).
    public var handledFilesystem: LandlockFilesystemAccess
    /// Network rights the ruleset handles.
    public var handledNetwork: LandlockNetworkAccess
    /// IPC scopes (abstract unix sockets, signals).
    public var scopes: LandlockScopes
    /// Path rules: a path inside the new root (opened `O_PATH`) and the rights beneath it.
    public var pathRules: [LandlockPathRule]
    /// Port rules: TCP ports that may be bound or connected to.
    public var portRules: [LandlockPortRule]

    public init(
        minimumABI: Int, handledFilesystem: LandlockFilesystemAccess, handledNetwork: LandlockNetworkAccess,
        scopes: LandlockScopes, pathRules: [LandlockPathRule], portRules: [LandlockPortRule]
    ) {
        self.minimumABI = minimumABI
        self.handledFilesystem = handledFilesystem
        self.handledNetwork = handledNetwork
        self.scopes = scopes
        self.pathRules = pathRules
        self.portRules = portRules
    }
}

/// `LANDLOCK_ACCESS_FS_*` rights, bit for bit.
public struct LandlockFilesystemAccess: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let execute = Self(rawValue: 1 << 0)
    public static let writeFile = Self(rawValue: 1 << 1)
    public static let readFile = Self(rawValue: 1 << 2)
    public static let readDir = Self(rawValue: 1 << 3)
    public static let removeDir = Self(rawValue: 1 << 4)
    public static let removeFile = Self(rawValue: 1 << 5)
    public static let makeChar = Self(rawValue: 1 << 6)
    public static let makeDir = Self(rawValue: 1 << 7)
    public static let makeReg = Self(rawValue: 1 << 8)
    public static let makeSock = Self(rawValue: 1 << 9)
    public static let makeFifo = Self(rawValue: 1 << 10)
    public static let makeBlock = Self(rawValue: 1 << 11)
    public static let makeSym = Self(rawValue: 1 << 12)
    /// ABI 2.
    public static let refer = Self(rawValue: 1 << 13)
    /// ABI 3.
    public static let truncate = Self(rawValue: 1 << 14)
    /// ABI 5.
    public static let ioctlDev = Self(rawValue: 1 << 15)
}

/// `LANDLOCK_ACCESS_NET_*` rights (ABI 4).
public struct LandlockNetworkAccess: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let bindTCP = Self(rawValue: 1 << 0)
    public static let connectTCP = Self(rawValue: 1 << 1)
}

/// `LANDLOCK_SCOPE_*` (ABI 6).
public struct LandlockScopes: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public static let abstractUnixSocket = Self(rawValue: 1 << 0)
    public static let signal = Self(rawValue: 1 << 1)
}

/// A path beneath which the given rights are allowed.
public struct LandlockPathRule: Sendable, Equatable, Codable {
    public var path: String
    public var access: LandlockFilesystemAccess
    public init(path: String, access: LandlockFilesystemAccess) {
        self.path = path
        self.access = access
    }
}

/// A TCP port that may be bound or connected to.
public struct LandlockPortRule: Sendable, Equatable, Codable {
    public var port: UInt16
    public var access: LandlockNetworkAccess
    public init(port: UInt16, access: LandlockNetworkAccess) {
        self.port = port
        self.access = access
    }
}

/// A classic BPF program for `seccomp(SECCOMP_SET_MODE_FILTER)`: a value to print and diff.
public struct SeccompProgram: Sendable, Equatable, Codable {
    /// Where the program came from, for reports ("cordon allow-list", "profile docker.json").
    public var name: String
    public var instructions: [SeccompInstruction]
    public init(name: String, instructions: [SeccompInstruction]) {
        self.name = name
        self.instructions = instructions
    }
}

/// One `struct sock_filter`.
public struct SeccompInstruction: Sendable, Equatable, Codable {
    public var code: UInt16
    public var jt: UInt8
    public var jf: UInt8
    public var k: UInt32
    public init(code: UInt16, jt: UInt8, jf: UInt8, k: UInt32) {
        self.code = code
        self.jt = jt
        self.jf = jf
        self.k = k
    }
}

/// One `setrlimit` call.
public struct ResourceLimit: Sendable, Equatable, Codable {
    /// `RLIMIT_*` constant value.
    public var resource: Int32
    public var soft: UInt64
    public var hard: UInt64
    public init(resource: Int32, soft: UInt64, hard: UInt64) {
        self.resource = resource
        self.soft = soft
        self.hard = hard
    }
}

/// Memory and process-count caps applied through cgroups (v2 or v1, whichever offers the
/// controller). `nil` means no cap of that kind.
public struct CgroupLimits: Sendable, Equatable, Codable {
    public var memoryBytes: UInt64?
    public var maxProcesses: UInt64?
    public init(memoryBytes: UInt64?, maxProcesses: UInt64?) {
        self.memoryBytes = memoryBytes
        self.maxProcesses = maxProcesses
    }
}

/// How the program's standard streams are connected.
public enum TerminalMode: Sendable, Equatable, Codable {
    /// A pseudo-terminal created in the sandbox's own devpts, relayed by the supervisor.
    case relayedPseudoTerminal
    /// The supervisor's stdin, stdout and stderr (pipes or files; never a terminal).
    case inheritedPipes
}

/// Standard streams, bit n for file descriptor n.
public struct StandardStreams: OptionSet, Sendable, Hashable, Codable {
    /// Bit n set for file descriptor n.
    public let rawValue: UInt32
    /// Streams from their bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// File descriptor 0.
    public static let input = StandardStreams(rawValue: 1 << 0)
    /// File descriptor 1.
    public static let output = StandardStreams(rawValue: 1 << 1)
    /// File descriptor 2.
    public static let error = StandardStreams(rawValue: 1 << 2)
    /// All three.
    public static let all: StandardStreams = [.input, .output, .error]
}

/// A terminal's window size (`struct winsize`).
public struct TerminalSize: Sendable, Equatable, Codable {
    /// Lines.
    public var rows: UInt16
    /// Characters per line.
    public var columns: UInt16
    /// Width in pixels, 0 when the terminal does not say.
    public var xPixels: UInt16
    /// Height in pixels, 0 when the terminal does not say.
    public var yPixels: UInt16
    /// A size in characters and, optionally, pixels.
    public init(rows: UInt16, columns: UInt16, xPixels: UInt16 = 0, yPixels: UInt16 = 0) {
        self.rows = rows
        self.columns = columns
        self.xPixels = xPixels
        self.yPixels = yPixels
    }
}

/// Enforcement layers, so one can be tested alone or switched off by explicit best effort.
public struct Layers: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Namespaces, the new root and its mounts.
    public static let view = Layers(rawValue: 1 << 0)
    public static let landlock = Layers(rawValue: 1 << 1)
    public static let seccomp = Layers(rawValue: 1 << 2)
    /// no_new_privs, empty capability sets, rlimits, cgroup limits, closed fds.
    public static let process = Layers(rawValue: 1 << 3)
    public static let all: Layers = [.view, .landlock, .seccomp, .process]
}
