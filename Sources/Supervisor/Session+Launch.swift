#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy

extension Session {
    /// What the running kernel can enforce.
    public static func probeKernel() -> KernelFeatures { SandboxLauncher.probeKernel() }

    /// Launches the prepared session, relays it until the program ends, and returns how it
    /// ended. Signals are taken over before the launch so that none is lost.
    public static func run(_ session: PreparedSession) throws(SessionError) -> ProgramExit {
        guard session.output.plan.listeners.isEmpty else {
            session.sandbox?.discard()
            throw .system(operation: "start the session", path: "", reason: "the egress proxy needs an audit log for its decisions",
                          remedy: "run it with Session.run(_:audit:)")
        }
        return try run(session, meanwhile: { _ in }, serve: { _ throws(SessionError) in nil })
    }

    /// `run(_:)` with `meanwhile` running while the sandbox is being built (given the host pid of
    /// its first process), and `serve` starting what the supervisor serves the sandbox from
    /// outside (its network side) once it is built, while its program is held; the program
    /// starts once `serve` returned, and what it started is stopped when the program has ended.
    /// When `serve` fails the sandbox is killed before its program ever ran. `ended` runs once
    /// the program has ended, while the kernel tears the sandbox down; this returns once both
    /// are done.
    static func run(
        _ session: PreparedSession, meanwhile: (_ sandboxPID: Int32) -> Void, serve: (SandboxProcess) throws(SessionError) -> SessionNetwork?,
        ended: (ProgramExit) -> Void = { _ in }
    ) throws(SessionError) -> ProgramExit {
        guard let signals = SignalRelay() else {
            session.sandbox?.discard()
            throw .system(operation: "take over signals with signalfd", path: "", reason: "the kernel refused", remedy: "check the open-file limit (ulimit -n)")
        }
        let process: SandboxProcess
        do {
            process = try SandboxLauncher().launchHeld(TerminalStreams.fitted(session.output.plan), prepared: session.sandbox, meanwhile: meanwhile)
        } catch {
            throw launchError(error)
        }
        let network: SessionNetwork?
        do {
            network = try serve(process)
        } catch {
            try? process.signal(SIGKILL)
            _ = process.waitForExit() as ExitStatus
            throw error
        }
        do {
            try process.release()
        } catch {
            network?.stop()
            _ = process.waitForExit() as ExitStatus
            throw launchError(error)
        }
        let exit = SessionRelay.run(process, signals: signals, clipboardWrites: session.profile.capabilities.contains(.clipboard(.write)))
        network?.stop()
        // The program's end is known while the kernel still tears the sandbox down.
        ended(exit)
        _ = process.waitForExit() as ExitStatus
        return exit
    }

    private static func launchError(_ error: LaunchError) -> SessionError {
        let missing = error.errno == .noSuchFileOrDirectory && (error.step == "exec" || error.step == "execve")
        return .launch(message: error.description, notFound: missing)
    }
}

extension SandboxProcess: RunningProgram {
    var terminalDescriptor: Int32? { terminal?.rawValue }

    var exitNotice: Int32 { programExitNotice.rawValue }

    func waitForExit() -> ProgramExit {
        switch waitForProgramExit() {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        }
    }

    func forward(_ signal: Int32) { try? self.signal(signal) }
}
