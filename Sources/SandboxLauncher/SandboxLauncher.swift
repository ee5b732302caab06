import LinuxSystem
import SandboxPolicy

/// Applies a `LaunchPlan` to a child with real kernel enforcement and execs its program.
///
/// The plan is flattened into C arrays before the clone; the child (C, async-signal-safe) builds
/// the view, confines itself, forks the program and stays as the sandbox's pid 1, reaping. The
/// launcher decides nothing: what it cannot apply is an error naming the layer, or (for cgroup
/// limits the caller may not set) an `off` entry in the report.
public struct SandboxLauncher: Sendable {
    /// Creates a launcher.
    public init() {}

    /// Starts `plan` and returns once the program was exec'd inside the sandbox.
    public func launch(_ plan: LaunchPlan) throws(LaunchError) -> SandboxProcess {
        let process = try launchHeld(plan)
        try process.release()
        return process
    }

    /// Starts `plan` up to its program: returns once the sandbox runs in its cgroups and handed
    /// over its descriptors, with the program held until `SandboxProcess.release()` (the child
    /// finishes confining itself meanwhile; a step that fails there fails the release).
    /// `meanwhile` runs on this thread while the sandbox is being built (not when it could not
    /// even be cloned), given the host pid of the sandbox's first process. A process that is
    /// not to run is killed with `signal(SIGKILL)`.
    ///
    /// A `prepared` sandbox of the plan's shape is used instead of cloning one now (once: a
    /// second launch with it clones its own); one of another shape is discarded.
    public func launchHeld(_ plan: LaunchPlan, prepared: PreparedSandbox? = nil, meanwhile: (_ pid: Int32) -> Void = { _ in }) throws(LaunchError) -> SandboxProcess {
        var entries: [EnforcementReport.Entry] = []
        var specification: ChildSpecification
        do {
            specification = try Self.childSpecification(plan, entries: &entries)
        } catch {
            prepared?.discard()
            throw error
        }
        let sandbox: PreparedSandbox.Parts
        if let prepared, prepared.shape == plan.shape, let parts = prepared.take() {
            sandbox = parts
        } else {
            prepared?.discard()
            do throws(LinuxSystemError) {
                guard let parts = try prepare(plan.shape)?.takeOutcome() else {
                    throw LinuxSystemError(operation: "pthread_create", errno: .resourceTemporarilyUnavailable)
                }
                sandbox = parts
            } catch {
                throw LaunchError(error, plan: plan)
            }
        }
        entries += sandbox.cgroupEntries
        Self.applyShape(plan.shape, groups: sandbox.groups, to: &specification)
        let hasTerminal = specification.pseudoTerminal != nil
        do {
            let child = try sandbox.child.start(
                specification, expectedDescriptors: (hasTerminal ? 1 : 0) + plan.listeners.count, meanwhile: { meanwhile(sandbox.child.pid) })
            return SandboxProcess(child: child, plan: plan, hasTerminal: hasTerminal, report: EnforcementReport(entries: entries))
        } catch {
            throw LaunchError(error, plan: plan)
        }
    }
}
