#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCordonLinux
import SystemPackage

/// A sandbox child: its host pid, a pidfd to signal it, the descriptors it sent back, and the
/// thread that cloned it, which waits for it. `PR_SET_PDEATHSIG` fires when the cloning thread
/// exits, so that thread lives exactly as long as the child.
///
/// A spawned child holds its program until `release()`: what the supervisor serves the sandbox
/// is readied meanwhile, while the child builds and confines itself on the other core.
public final class SandboxChild: @unchecked Sendable {
    /// Host pid of the sandbox's first process.
    public let pid: Int32
    /// Descriptors the child sent, in order (pty master first when there is one, then listeners).
    public let descriptors: [FileDescriptor]
    private let pidfd: Int32
    private let state: SpawnState
    /// The child's failure reports until `release()` read them to the end.
    private var errorPipe: Int32

    deinit {
        close(pidfd)
        if errorPipe >= 0 { close(errorPipe) }
    }

    /// Wraps a started child; `state.result` holds its pid, pidfd and error pipe.
    init(started state: SpawnState) {
        self.pid = state.result.pid
        self.pidfd = state.result.pidfd
        self.errorPipe = state.result.error_pipe
        self.descriptors = state.descriptors
        self.state = state
    }

    /// Lets the program start; returns once it was exec'd, or throws the step that failed in the
    /// child (which is then killed). Call it once.
    public func release() throws(LinuxSystemError) {
        var held = state.result
        held.error_pipe = errorPipe
        errorPipe = -1
        if cordon_spawn_release(&held) != 0 { throw Self.failure(held) ?? LinuxSystemError(operation: "launch", errno: .protocolError) }
    }

    static func failure(_ result: cordon_spawn_result) -> LinuxSystemError? {
        guard result.step != Int32(CORDON_STEP_NONE.rawValue) else { return nil }
        return LinuxSystemError(
            operation: "launch", errno: Errno(rawValue: result.error), step: ChildStep(rawValue: result.step),
            index: result.index >= 0 ? Int(result.index) : nil)
    }

    /// Blocks until the sandbox is gone (its first process reaped, `onExit` run); returns the
    /// program's raw wait status as the sandbox's first process reported it, or that process's
    /// own status when it died first (killed from outside).
    public func waitForExit() -> Int32 {
        state.exited.wait()
        return state.waitStatus
    }

    /// Blocks until the program's end is known, which is before the sandbox is gone (its
    /// namespaces are torn down meanwhile); returns the same status as `waitForExit()`.
    public func waitForProgramEnd() -> Int32 {
        state.ended.wait()
        return state.waitStatus
    }

    /// A descriptor that turns readable once `waitForProgramEnd()` no longer blocks; this child
    /// owns it.
    public var programEndNotice: Int32 { state.endNotice }

    /// Sends `signal` to the sandbox's first process, which passes it on to the program
    /// (SIGKILL ends the whole sandbox).
    public func signal(_ signal: Int32) throws(LinuxSystemError) {
        let rc = cordon_pidfd_send_signal(pidfd, signal)
        if rc != 0 {
            throw LinuxSystemError(operation: "pidfd_send_signal(\(signal)) to pid \(pid)", errno: Errno(rawValue: -rc))
        }
    }
}
