/// How the sandboxed program ended, and the status Cordon exits with for it.
public enum ProgramExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)

    /// The shell's convention: the exit code, or 128 + the signal number.
    public var shellStatus: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}

/// What the relay needs of a running sandbox (the launcher's `SandboxProcess`).
protocol RunningProgram {
    /// The pty master, when the program has a relayed terminal.
    var terminalDescriptor: Int32? { get }
    /// A descriptor that turns readable once the program has exited (SIGCHLD says less: it also
    /// comes from helpers the launcher forks, and only after the sandbox was torn down).
    var exitNotice: Int32 { get }
    /// Blocks until the program has exited.
    func waitForExit() -> ProgramExit
    /// Passes `signal` on to the program.
    func forward(_ signal: Int32)
}
