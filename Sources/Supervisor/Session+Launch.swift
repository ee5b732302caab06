import SandboxLauncher
import SandboxPolicy

extension Session {
    /// What the running kernel can enforce.
    public static func probeKernel() -> KernelFeatures { SandboxLauncher.probeKernel() }

    /// Launches the prepared session, relays it until the program ends, and returns how it
    /// ended. Signals are taken over before the launch so that none is lost.
    public static func run(_ session: PreparedSession) throws(SessionError) -> ProgramExit {
        guard let signals = SignalRelay() else {
            throw .system(operation: "take over signals with signalfd", path: "", reason: "the kernel refused", remedy: "check the open-file limit (ulimit -n)")
        }
        let process: SandboxProcess
        do {
            process = try SandboxLauncher().launch(session.output.plan)
        } catch {
            let missing = error.errno == .noSuchFileOrDirectory && (error.step == "exec" || error.step == "execve")
            throw .launch(message: error.description, notFound: missing)
        }
        return SessionRelay.run(process, signals: signals, clipboardWrites: session.profile.capabilities.contains(.clipboard(.write)))
    }
}

extension SandboxProcess: RunningProgram {
    var terminalDescriptor: Int32? { terminal?.rawValue }

    func waitForExit() -> ProgramExit {
        switch waitForExit() as ExitStatus {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        }
    }

    func forward(_ signal: Int32) { try? self.signal(signal) }
}
