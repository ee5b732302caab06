#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCordonLinux
import SystemPackage

/// A pidfd for a process this one did not necessarily start: it names that process and no
/// later one that reuses its pid.
public struct ProcessHandle: ~Copyable {
    /// The pidfd.
    public let descriptor: FileDescriptor

    /// Opens a pidfd for `pid` (`pidfd_open(2)`).
    public init(pid: Int32) throws(LinuxSystemError) {
        let fd = cordon_pidfd_open(pid)
        if fd < 0 { throw LinuxSystemError(operation: "pidfd_open(\(pid))", errno: Errno(rawValue: -fd)) }
        descriptor = FileDescriptor(rawValue: fd)
    }

    deinit { try? descriptor.close() }

    /// Blocks until the process has exited (the pidfd turns readable), for at most
    /// `timeoutMilliseconds`; returns whether it exited.
    public func waitUntilExited(timeoutMilliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        while true {
            let rc = poll(&entry, 1, timeoutMilliseconds)
            if rc < 0 && errno == EINTR { continue }
            return rc == 1
        }
    }
}
