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
final class SpawnState: @unchecked Sendable {
    let flattened: FlattenedSpecification
    let onExit: @Sendable () -> Void
    let cloned = Latch()
    let go = Latch()
    let started = Latch()
    let exited = Latch()
    // Written by the caller before `go` opens, read after.
    var expectedDescriptors = 0
    var abandoned = false
    // Written by the spawning thread before `cloned`, `started` or `exited` opens, read after.
    var clonedChild = false
    var result = cordon_spawn_result()
    var descriptors: [FileDescriptor] = []
    var descriptorError: LinuxSystemError?
    var waitStatus: Int32 = 0

    init(flattened: FlattenedSpecification, onExit: @escaping @Sendable () -> Void) {
        self.flattened = flattened
        self.onExit = onExit
    }

    func run() {
        // Cleanup first, so that whoever waits for `started` finds the session's cgroups gone.
        func end() {
            onExit()
            started.open()
        }
        clonedChild = cordon_spawn(flattened.spec, &result) == 0
        cloned.open()
        guard clonedChild else { return end() }
        go.wait()
        if abandoned {
            cordon_spawn_discard(&result)
            return end()
        }
        if cordon_spawn_go(&result) != 0 || cordon_spawn_join(flattened.spec, &result) != 0 { return end() }
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
        var status: Int32 = 0
        while waitpid(result.pid, &status, 0) < 0 && errno == EINTR {}
        var reported: Int32 = 0
        waitStatus = cordon_receive_wait_status(result.channel, &reported) == 0 ? reported : status
        close(result.channel)
        // Cleanup first, so that whoever waited finds the session's cgroups gone.
        onExit()
        exited.open()
    }
}
