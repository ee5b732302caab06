import LinuxSystem
import SandboxPolicy
import SystemPackage

/// A running sandbox: the host pid of its first process (the reaper), the descriptors it handed
/// over, and what was actually enforced.
public final class SandboxProcess: @unchecked Sendable {
    /// Host pid of the sandbox's pid 1.
    public let pid: Int32
    /// The pty master (for `TerminalMode.relayedPseudoTerminal`); the supervisor owns it.
    public let terminal: FileDescriptor?
    /// Listening sockets created inside the sandbox's network namespace, in plan order; the
    /// supervisor owns them.
    public let listeners: [FileDescriptor]
    /// What was actually applied, layer by layer.
    public let report: EnforcementReport
    private let child: SandboxChild
    private let plan: LaunchPlan

    init(child: SandboxChild, plan: LaunchPlan, hasTerminal: Bool, report: EnforcementReport) {
        self.child = child
        self.plan = plan
        self.pid = child.pid
        self.terminal = hasTerminal ? child.descriptors.first : nil
        self.listeners = Array(child.descriptors.dropFirst(hasTerminal ? 1 : 0))
        self.report = report
    }

    /// Lets a process from `SandboxLauncher.launchHeld` start its program; returns once the
    /// program was exec'd. A failure (the program not found, a step of the child) leaves the
    /// sandbox killed.
    public func release() throws(LaunchError) {
        do {
            try child.release()
        } catch {
            throw LaunchError(error, plan: plan)
        }
    }

    /// Blocks until the program has exited and the sandbox is gone (its cgroups removed), and
    /// returns how the program ended.
    public func waitForExit() -> ExitStatus {
        ExitStatus(waitStatus: child.waitForExit())
    }

    /// Blocks until the program has exited and returns how, possibly before the sandbox is gone:
    /// the kernel tears its namespaces down meanwhile. `waitForExit()` waits for the rest.
    public func waitForProgramExit() -> ExitStatus {
        ExitStatus(waitStatus: child.waitForProgramEnd())
    }

    /// A descriptor that turns readable once `waitForProgramExit()` no longer blocks; the
    /// process owns it.
    public var programExitNotice: FileDescriptor { FileDescriptor(rawValue: child.programEndNotice) }

    /// Sends `signal` through the pidfd to the sandbox's pid 1, which passes it on to the
    /// program; SIGKILL ends the whole sandbox at once.
    public func signal(_ signal: Int32) throws(LaunchError) {
        do {
            try child.signal(signal)
        } catch {
            throw LaunchError(
                layer: "process", step: "signal", errno: error.errno, message: error.operation,
                remedy: "The sandbox has already exited.")
        }
    }
}
