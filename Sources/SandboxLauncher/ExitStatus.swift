/// How the sandboxed program ended, from its raw wait status (the 128+signal convention for a
/// shell's exit code is the supervisor's business).
public enum ExitStatus: Sendable, Equatable {
    /// `exit(code)`.
    case exited(Int32)
    /// Killed by `signal`.
    case signaled(Int32)

    /// Decodes a raw `wait` status.
    init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }
}
