/// Compiles a `Profile` into a `LaunchPlan` and the `EnforcementReport` it will produce.
///
/// Pure: what it needs to know about files comes from `facts`, what it needs to know about the
/// kernel from `kernel`. A layer the kernel cannot provide is an error unless the profile asks
/// for best effort; then the report says what is off, and the plan leaves it out.
public struct ProfileCompiler: Sendable {
    public var facts: any FileSystemFacts
    public var kernel: KernelFeatures
    public var cordonDirectories: CordonDirectories

    /// Creates a compiler.
    public init(facts: any FileSystemFacts, kernel: KernelFeatures, cordonDirectories: CordonDirectories) {
        self.facts = facts
        self.kernel = kernel
        self.cordonDirectories = cordonDirectories
    }

    /// The result of compilation.
    public struct Output: Sendable, Equatable {
        public var plan: LaunchPlan
        public var report: EnforcementReport
        /// Protected paths that apply to this session and how each is held.
        public var protections: [AppliedProtection]
    }

    /// What compiling a profile settles first: the plan's shape, from which the launcher can
    /// clone the sandbox while the rest is compiled, and what the rest is built on.
    public struct Outline: Sendable {
        public let shape: LaunchShape
        let report: EnforcementReport
        let base: BaseView
    }

    /// The outline of `compile(profile)`, without the work of the rest.
    public func outline(for profile: Profile) throws(CapabilityError) -> Outline {
        try validate(profile)
        let (report, layers) = try enforcement(for: profile)
        let base = baseView(for: profile)
        let shape = LaunchShape(
            namespaces: layers.contains(.view) ? .all : [.user, .pid],
            idMapping: IDMapping(insideUID: profile.user.uid, outsideUID: profile.user.uid, insideGID: profile.user.gid, outsideGID: profile.user.gid),
            layers: layers, cgroupLimits: cgroupLimits(for: profile, layers: layers), baseMounts: layers.contains(.view) ? base.mounts : [])
        return Outline(shape: shape, report: report, base: base)
    }

    /// Compiles `profile`.
    public func compile(_ profile: Profile) throws(CapabilityError) -> Output {
        try compile(profile, outline: outline(for: profile))
    }

    /// Compiles `profile` from its outline.
    public func compile(_ profile: Profile, outline: Outline) throws(CapabilityError) -> Output {
        let shape = outline.shape
        let layers = shape.layers
        let view = try buildView(for: profile, base: outline.base)
        let landlock = layers.contains(.landlock) ? landlockPlan(for: view, viewLayer: layers.contains(.view)) : nil
        var seccomp: [SeccompProgram] = []
        if layers.contains(.seccomp) {
            seccomp.append(try CordonSeccompPolicy.filter.compile())
            if let user = profile.seccompProfile { seccomp.append(try user.compile()) }
        }
        let plan = LaunchPlan(
            argv: profile.argv,
            environment: environment(for: profile, view: view),
            workingDirectory: profile.workingDirectory,
            namespaces: shape.namespaces,
            idMapping: shape.idMapping,
            mounts: layers.contains(.view) ? view.mounts : [],
            baseMountCount: shape.baseMounts.count,
            landlock: landlock,
            seccomp: seccomp,
            resourceLimits: layers.contains(.process) ? Self.resourceLimits(processes: profile.processLimit ?? Profile.defaultProcessLimit) : [],
            cgroupLimits: shape.cgroupLimits,
            terminal: profile.terminal,
            layers: shape.layers)
        return Output(plan: plan, report: outline.report, protections: view.protections)
    }

    private func validate(_ profile: Profile) throws(CapabilityError) {
        guard !profile.argv.isEmpty else {
            throw .path(operation: "run", path: "", reason: "no program given", remedy: "name it after --, e.g. cordon run -- bash")
        }
        guard profile.workspace.hasPrefix("/"), PathText.normalise(profile.workspace) == profile.workspace else {
            throw .path(operation: "use workspace", path: profile.workspace, reason: "not an absolute, normalised path", remedy: "pass --workspace /absolute/dir")
        }
        guard profile.workspace != "/" else {
            throw .path(operation: "use workspace", path: "/", reason: "the whole file system cannot be the workspace", remedy: "run from a project directory or pass --workspace DIR")
        }
        guard facts.kind(of: profile.workspace) == .directory else {
            throw .path(operation: "use workspace", path: profile.workspace, reason: "not an existing directory", remedy: "create it or pass --workspace DIR")
        }
        for capability in profile.capabilities {
            switch capability {
            case .clipboard(.read):
                throw .unsupported(text: capability.description, reason: "no layer answers clipboard reads yet; OSC 52 queries are filtered")
            case .clipboard(.write):
                guard profile.terminal == .relayedPseudoTerminal else {
                    throw .unsupported(text: capability.description, reason: "clipboard writes pass through the relayed terminal only; standard streams are not terminals in this session")
                }
            case .readFile, .readDirectory, .writeFile, .writeDirectory, .execute, .unixSocket, .environment, .network:
                continue
            }
        }
    }

    /// Limits set with `setrlimit`: no core dumps (they would write the agent's memory,
    /// secrets included, where the person does not look), and a process count that the kernel
    /// (since 5.14) counts per user namespace, so it caps the sandbox even where no pids
    /// controller is available.
    static func resourceLimits(processes: UInt64) -> [ResourceLimit] {
        [
            ResourceLimit(resource: 4, soft: 0, hard: 0),  // RLIMIT_CORE
            ResourceLimit(resource: 6, soft: processes, hard: processes),  // RLIMIT_NPROC
        ]
    }

    private func cgroupLimits(for profile: Profile, layers: Layers) -> CgroupLimits {
        guard layers.contains(.process) else { return CgroupLimits(memoryBytes: nil, maxProcesses: nil) }
        return CgroupLimits(
            memoryBytes: kernel.memoryController == nil ? nil : profile.memoryLimit ?? Profile.defaultMemoryLimit,
            maxProcesses: kernel.pidsController == nil ? nil : profile.processLimit ?? Profile.defaultProcessLimit)
    }
}

/// A protection as it applies to one session.
public struct AppliedProtection: Sendable, Equatable, Codable {
    /// How the protection is held.
    public enum Mechanism: String, Sendable, Codable {
        /// Hidden in the view (a mask) and unreachable under Landlock.
        case masked
        /// Bound read-only in the view and read-only under Landlock.
        case readOnly
        /// It does not exist: its directory is granted without the rights to create entries.
        case notCreatable
        /// Outside everything granted: not in the view at all.
        case outsideView
    }

    public var path: String
    public var kind: Protection.Kind
    public var mechanism: Mechanism
    public var reason: String
}
