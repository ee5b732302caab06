import LinuxSystem
import SandboxPolicy
import Synchronization

/// A sandbox cloned from a `LaunchShape` on a thread of its own while the plan is compiled: its
/// cgroups made, its namespaces created, its ids mapped, its first process mounting the base of
/// its view and then waiting.
/// `SandboxLauncher.launchHeld` finishes it when the plan has the same shape; dropped unused,
/// its process is killed (it ran nothing) and its cgroups removed.
public final class PreparedSandbox: @unchecked Sendable {
    /// What the clone made.
    struct Parts {
        let groups: [CgroupGroup]
        /// What creating the cgroups found, for the report.
        let cgroupEntries: [EnforcementReport.Entry]
        let child: PendingSandboxChild
    }

    let shape: LaunchShape
    private let taken = Atomic<Bool>(false)
    private let done = Latch()
    // Written by the cloning thread before `done` opens, read after.
    private var outcome: Result<Parts, LinuxSystemError>?

    init(shape: LaunchShape) {
        self.shape = shape
    }

    /// Waits for the clone and returns what it made.
    private func parts() throws(LinuxSystemError) -> Parts {
        done.wait()
        return try outcome!.get()
    }

    /// What the clone made, to the first caller only (a sandbox is finished or discarded once);
    /// nil for the others and when the clone failed.
    func take() -> Parts? {
        try? takeOutcome()
    }

    /// What the clone made, or why it made nothing, to the first caller only; nil for the others.
    func takeOutcome() throws(LinuxSystemError) -> Parts? {
        taken.exchange(true, ordering: .acquiringAndReleasing) ? nil : try parts()
    }

    /// Host pid of the sandbox's first process once it was cloned; nil when the clone failed.
    public var pid: Int32? { (try? parts())?.child.pid }

    /// Kills the sandbox's first process, which ran nothing, and removes its cgroups; for a
    /// sandbox that will not be launched.
    public func discard() {
        take()?.child.discard()
    }

    fileprivate func finish(_ outcome: Result<Parts, LinuxSystemError>) {
        self.outcome = outcome
        done.open()
    }
}

extension SandboxLauncher {
    /// Starts cloning a sandbox from `shape` on a thread of its own, so that creating its
    /// cgroups and namespaces and mounting its base view overlap the compilation of its plan.
    /// That thread stays the sandbox's parent for as long as it lives. A clone that fails is
    /// done again by the launch, which then reports why.
    public func prepare(_ shape: LaunchShape) -> PreparedSandbox? {
        let sandbox = PreparedSandbox(shape: shape)
        let started = DetachedThread.start(name: "cordon-sandbox") {
            Self.clone(shape) { sandbox.finish($0) }
        }
        return started ? sandbox : nil
    }

    /// Creates the cgroups of `shape` and clones a child into them, on the calling thread, which
    /// becomes the child's parent: `whenCloned` gets what the clone made as soon as it is done,
    /// and this returns once the child is gone. The child mounts the shape's base view meanwhile.
    static func clone(_ shape: LaunchShape, whenCloned: (Result<PreparedSandbox.Parts, LinuxSystemError>) -> Void) {
        var entries: [EnforcementReport.Entry] = []
        let groups = createCgroups(shape, entries: &entries)
        var specification = ChildSpecification(argv: [], environment: [])
        applyShape(shape, groups: groups, to: &specification)
        specification.mounts = shape.baseMounts.map(childMount)
        PendingSandboxChild.cloneOnThisThread(specification, onExit: { for group in groups { try? group.remove() } }) { outcome in
            whenCloned(outcome.map { PreparedSandbox.Parts(groups: groups, cgroupEntries: entries, child: $0) })
        }
    }

    /// The parts of a child specification a clone needs (but the base mounts themselves).
    static func applyShape(_ shape: LaunchShape, groups: [CgroupGroup], to specification: inout ChildSpecification) {
        specification.layers = shape.layers.rawValue
        specification.baseMountCount = shape.baseMounts.count
        specification.namespaces = shape.layers.contains(.view) ? shape.namespaces.rawValue : 0
        specification.insideUID = shape.idMapping.insideUID
        specification.outsideUID = shape.idMapping.outsideUID
        specification.insideGID = shape.idMapping.insideGID
        specification.outsideGID = shape.idMapping.outsideGID
        specification.cgroupThreadMoves = groups.compactMap(\.threadMove)
        specification.cgroupProcessFiles = groups.filter { $0.threadMove == nil }.map(\.processesFile)
    }
}
