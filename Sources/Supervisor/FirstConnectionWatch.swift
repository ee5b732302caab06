import Foundation
import LinuxSystem
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Waits on listening sockets until the first connection is pending on any of them, then calls
/// `ready` once, on its own thread. The kernel queues that connection in the listener's backlog,
/// so whatever `ready` starts still accepts it.
///
/// Sessions use it to start the egress proxy's event loop only when the sandbox first connects:
/// a session that never uses the network (the common `cordon run -- tool` case) starts no
/// event-loop thread at all, yet its proxy listener exists from the launch on, so a live
/// `cordon net allow` can still widen it.
final class FirstConnectionWatch: Sendable {
    private let cancelled = NIOLockedValueBox(false)
    /// A socket pair: `cancel` writes to one end to wake the thread waiting on the other.
    private let wake: (read: CInt, write: CInt)
    /// True once the waiting thread is done, `ready` included.
    private let finished = ConditionLock(value: false)

    private init(wake: (read: CInt, write: CInt)) { self.wake = wake }

    /// Starts watching `sockets`; nil when the kernel gives no socket pair.
    static func start(_ sockets: [CInt], ready: @escaping @Sendable () -> Void) -> FirstConnectionWatch? {
        var ends: [CInt] = [-1, -1]
        guard socketpair(AF_UNIX, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else { return nil }
        let watch = FirstConnectionWatch(wake: (ends[0], ends[1]))
        guard DetachedThread.start(name: "cordon-proxy-watch", { watch.wait(on: sockets, ready: ready) }) else {
            close(ends[0])
            close(ends[1])
            return nil
        }
        return watch
    }

    /// Stops watching and returns once `ready` has returned, if it was called, or will never be
    /// called.
    func cancel() {
        cancelled.withLockedValue { $0 = true }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        finished.lock(whenValue: true)
        finished.unlock()
        close(wake.read)
        close(wake.write)
    }

    private func wait(on sockets: [CInt], ready: @Sendable () -> Void) {
        defer {
            finished.lock()
            finished.unlock(withValue: true)
        }
        var fds = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        fds.append(pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0))
        while true {
            let n = poll(&fds, nfds_t(fds.count), -1)
            if n < 0 && errno == EINTR { continue }
            // An error of poll itself also starts the servers: they then fail or serve on their
            // own terms, rather than leaving the sandbox's connections queued for ever.
            if !cancelled.withLockedValue({ $0 }) { ready() }
            return
        }
    }
}
