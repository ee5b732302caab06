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
    /// even be cloned). A process that is not to run is killed with `signal(SIGKILL)`.
    public func launchHeld(_ plan: LaunchPlan, meanwhile: () -> Void = {}) throws(LaunchError) -> SandboxProcess {
        var entries: [EnforcementReport.Entry] = []
        var specification = try Self.childSpecification(plan, entries: &entries)
        let groups = Self.createCgroups(plan, entries: &entries)
        specification.cgroupThreadMoves = groups.compactMap(\.threadMove)
        specification.cgroupProcessFiles = groups.filter { $0.threadMove == nil }.map(\.processesFile)
        let hasTerminal = specification.pseudoTerminal != nil
        do {
            let child = try SandboxChild.spawn(
                specification, expectedDescriptors: (hasTerminal ? 1 : 0) + plan.listeners.count, meanwhile: meanwhile,
                onExit: { for group in groups { try? group.remove() } })
            return SandboxProcess(child: child, plan: plan, hasTerminal: hasTerminal, report: EnforcementReport(entries: entries))
        } catch {
            throw LaunchError(error, plan: plan)
        }
    }
}
