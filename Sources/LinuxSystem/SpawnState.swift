#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCordonLinux
import SystemPackage

/// What the spawning thread shares with the caller. The thread clones the child, waits until
/// the caller wrote the whole specification (`go`), lets the child apply it, receives its
/// descriptors, and then waits for it to exit; it lives exactly as long as the child.
///
/// The program's end is known (`ended`) before the child is gone (`exited`): the child reports
/// the program's wait status and then exits, and its exit waits for the kernel to tear its
/// namespaces down, about a millisecond that the caller can spend finishing the session.
final class SpawnState: @unchecked Sendable {
    let flattened: FlattenedSpecification
    let onExit: @Sendable () -> Void
    /// An eventfd that turns readable when `ended` opens, for callers that poll.
    let endNotice: Int32
    let go = Latch()
    let started = Latch()
    let ended = Latch()
    let exited = Latch()
    // Written by the caller before `go` opens, read after.
    var expectedDescriptors = 0
    var abandoned = false
    // Written by the spawning thread before `whenCloned` runs or `started` or `exited` opens, read after.
    var clonedChild = false
    var result = cordon_spawn_result()
    var descriptors: [FileDescriptor] = []
    var descriptorError: LinuxSystemError?
    // Written by the spawning thread before `ended` opens, read after.
    var waitStatus: Int32 = 0

    /// Fails when the kernel gives no eventfd.
    init(flattened: FlattenedSpecification, onExit: @escaping @Sendable () -> Void) throws(LinuxSystemError) {
        let notice = cordon_eventfd()
        guard notice >= 0 else { throw LinuxSystemError(operation: "eventfd", errno: Errno(rawValue: errno)) }
        self.flattened = flattened
        self.onExit = onExit
        self.endNotice = notice
    }

    deinit { close(endNotice) }

    /// Runs on the thread that is to be the child's parent, until the child is gone; `whenCloned`
    /// runs on it as soon as the clone is done (after the cleanup, when it failed).
    func run(whenCloned: () -> Void) {
        // Cleanup first, so that whoever waits for `started` finds the session's cgroups gone.
        func end() {
            onExit()
            started.open()
        }
        clonedChild = cordon_spawn(flattened.spec, &result) == 0
        guard clonedChild else {
            end()
            return whenCloned()
        }
        whenCloned()
        go.wait()
        if abandoned {
            cordon_spawn_discard(&result)
            return end()
        }
        if cordon_spawn_go(&result, flattened.spec) != 0 || cordon_spawn_join(flattened.spec, &result) != 0 { return end() }
        // The child sends these before it waits for the release.
        if expectedDescriptors > 0 {
            var fds = [Int32](repeating: -1, count: expectedDescriptors)
            let count = cordon_receive_descriptors(result.channel, &fds, Int32(expectedDescriptors))
            if count == Int32(expectedDescriptors) {
                descriptors = fds.map { FileDescriptor(rawValue: $0) }
            } else {
                let error = count < 0 ? Errno(rawValue: errno) : .protocolError
                for fd in fds.prefix(max(Int(count), 0)) { close(fd) }
                descriptorError = LinuxSystemError(operation: "receive descriptors from the sandbox", errno: error, step: .sendDescriptors)
                _ = cordon_pidfd_send_signal(result.pidfd, SIGKILL)
            }
        }
        started.open()
        var reported: Int32 = 0
        let hasReport = cordon_await_wait_status(result.channel, result.pidfd, &reported) == 0
        if hasReport { announceEnd(reported) }
        var status: Int32 = 0
        while waitpid(result.pid, &status, 0) < 0 && errno == EINTR {}
        close(result.channel)
        // Cleanup first, so that whoever waited finds the session's cgroups gone.
        onExit()
        // Killed before it could report: its own status says how.
        if !hasReport { announceEnd(status) }
        exited.open()
    }

    private func announceEnd(_ status: Int32) {
        waitStatus = status
        ended.open()
        var one: UInt64 = 1
        _ = write(endNotice, &one, 8)
    }
}
