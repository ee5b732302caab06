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

    /// The shape `compile(profile)` gives its plan, without the work of compiling it: the
    /// launcher clones the sandbox from it meanwhile.
    public func shape(for profile: Profile) throws(CapabilityError) -> LaunchShape {
        let layers = try enforcement(for: profile).1
        return shape(for: profile, layers: layers, baseMounts: layers.contains(.view) ? baseView(for: profile).mounts : [])
    }

    private func shape(for profile: Profile, layers: Layers, baseMounts: [MountStep]) -> LaunchShape {
        LaunchShape(
            namespaces: layers.contains(.view) ? .all : [.user, .pid],
            idMapping: IDMapping(insideUID: profile.user.uid, outsideUID: profile.user.uid, insideGID: profile.user.gid, outsideGID: profile.user.gid),
            layers: layers, cgroupLimits: cgroupLimits(for: profile, layers: layers), baseMounts: baseMounts)
    }

    /// Compiles `profile`.
    public func compile(_ profile: Profile) throws(CapabilityError) -> Output {
        try validate(profile)
        let (report, layers) = try enforcement(for: profile)
        let view = try buildView(for: profile)
        let shape = shape(for: profile, layers: layers, baseMounts: layers.contains(.view) ? Array(view.mounts.prefix(view.baseMountCount)) : [])
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
        return Output(plan: plan, report: report, protections: view.protections)
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
