import CCordonLinux

#if canImport(Glibc)
import Glibc
#endif

/// Who is on the other end of a control connection, and whether they may use it: the same
/// uid, and the same user namespace as the supervisor (a sandboxed agent has the same uid but
/// lives in a user namespace of its own).
struct ControlPeer {
    var pid: pid_t
    var uid: uid_t

    /// Checks the peer of a connected unix socket; throws `.peerRefused` naming the reason.
    ///
    /// The namespace is read through a pidfd obtained with `SO_PEERPIDFD`, so the answer is about
    /// the process that connected even if its pid has since been reused.
    static func check(socket fd: CInt, ownNamespace: NamespaceID) throws(ControlSocketError) -> ControlPeer {
        var peerPID: CInt = 0
        var peerUID: CUnsignedInt = 0
        guard cordon_control_peer_credentials(fd, &peerPID, &peerUID) == 0 else {
            throw refused("SO_PEERCRED failed: \(String(cString: strerror(errno)))")
        }
        guard peerUID == geteuid() else { throw refused("peer uid \(peerUID) is not this user (\(geteuid()))") }
        var pidfd: CInt = -1
        var len = socklen_t(MemoryLayout<CInt>.size)
        guard getsockopt(fd, SOL_SOCKET, CORDON_SO_PEERPIDFD, &pidfd, &len) == 0, pidfd >= 0 else {
            throw refused("SO_PEERPIDFD failed (\(String(cString: strerror(errno)))): Linux 6.5 or later is needed to tell a sandboxed peer")
        }
        defer { close(pidfd) }
        let namespace = try namespaceOf(pidfd: pidfd)
        guard namespace == ownNamespace else {
            throw refused("peer pid \(peerPID) is in another user namespace (inside a sandbox)")
        }
        return ControlPeer(pid: peerPID, uid: peerUID)
    }

    /// The user namespace of the process behind `pidfd`: by `PIDFD_GET_USER_NAMESPACE` where the
    /// kernel has it (6.11), else through `/proc/PID/ns/user`, trusted only if the pidfd's
    /// process was still alive after the open (so the PID was not reused in between).
    private static func namespaceOf(pidfd: CInt) throws(ControlSocketError) -> NamespaceID {
        let nsfd = cordon_control_pidfd_user_namespace(pidfd)
        if nsfd >= 0 {
            defer { close(nsfd) }
            return try NamespaceID(descriptor: nsfd)
        }
        guard errno == ENOTTY || errno == EINVAL else {
            throw refused("cannot read the peer's user namespace: \(String(cString: strerror(errno)))")
        }
        guard let pid = pidOf(pidfd: pidfd) else { throw refused("the peer has exited") }
        let fd = open("/proc/\(pid)/ns/user", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw refused("cannot open /proc/\(pid)/ns/user: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard cordon_control_pidfd_alive(pidfd) == 0 else { throw refused("the peer exited during the check") }
        return try NamespaceID(descriptor: fd)
    }

    private static func pidOf(pidfd: CInt) -> pid_t? {
        guard let f = fopen("/proc/self/fdinfo/\(pidfd)", "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), f) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("Pid:"), let pid = pid_t(text.dropFirst(4).filter { !$0.isWhitespace }), pid > 0 { return pid }
        }
        return nil
    }

    private static func refused(_ reason: String) -> ControlSocketError {
        ControlSocketError(
            code: .peerRefused, operation: "accept control connection", reason: reason,
            remedy: "run cordon commands from outside every sandbox, as the user who started the session")
    }
}

/// A namespace's identity: the device and inode of its nsfs file.
struct NamespaceID: Equatable {
    var device: UInt64
    var inode: UInt64

    init(descriptor fd: CInt) throws(ControlSocketError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw ControlSocketError(
                code: .socket, operation: "fstat namespace", reason: String(cString: strerror(errno)), remedy: "check /proc is mounted")
        }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// The supervisor's own user namespace.
    static func ownUserNamespace() throws(ControlSocketError) -> NamespaceID {
        let fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ControlSocketError(
                code: .socket, operation: "open /proc/self/ns/user", reason: String(cString: strerror(errno)),
                remedy: "mount /proc")
        }
        defer { close(fd) }
        return try NamespaceID(descriptor: fd)
    }
}
