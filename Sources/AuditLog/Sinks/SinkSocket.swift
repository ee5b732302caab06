#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking socket with send and receive timeouts, for the sinks' own background thread:
/// a sink that stalls only ever stalls that thread, for at most the timeout.
struct SinkSocket: ~Copyable {
    let descriptor: Int32
    let endpoint: String

    /// Connects a stream or datagram socket to `host:port` (numeric or resolvable name).
    init(host: String, port: Int, type: Int32, timeoutSeconds: Int) throws {
        endpoint = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_socktype = type
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw AuditError(.sinkFailed, operation: "resolve", path: endpoint,
                             detail: String(cString: gai_strerror(status)), remedy: "check the sink's address")
        }
        defer { freeaddrinfo(list) }
        var lastErrno: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let fd = socket(current.pointee.ai_family, current.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd >= 0 {
                Self.setTimeouts(fd, seconds: timeoutSeconds)
                if connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 {
                    descriptor = fd
                    return
                }
                lastErrno = errno
                close(fd)
            } else {
                lastErrno = errno
            }
            entry = current.pointee.ai_next
        }
        throw AuditError.system(.sinkFailed, operation: "connect", path: endpoint, errno: lastErrno,
                                remedy: "records stay in the log and are sent when the sink is back")
    }

    /// Connects a datagram socket to a unix socket path such as `/dev/log`.
    init(unixPath: String, timeoutSeconds: Int) throws {
        endpoint = unixPath
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw AuditError.system(.sinkFailed, operation: "socket", path: unixPath, errno: errno, remedy: "check the system")
        }
        Self.setTimeouts(fd, seconds: timeoutSeconds)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(unixPath.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw AuditError(.invalidArgument, operation: "connect", path: unixPath, detail: "the path is too long",
                             remedy: "use a shorter socket path")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw AuditError.system(.sinkFailed, operation: "connect", path: unixPath, errno: error,
                                    remedy: "records stay in the log and are sent when the syslog daemon is back")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    private static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends all of `bytes` (one datagram on a datagram socket).
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw AuditError.system(.sinkFailed, operation: "send", path: endpoint, errno: errno,
                                        remedy: "records stay in the log and are sent later")
            }
            offset += sent
        }
    }

    /// Receives until the peer closes, `isComplete` says enough, or `limit` bytes arrived.
    func receive(limit: Int, isComplete: ([UInt8]) -> Bool) throws -> [UInt8] {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < limit, !isComplete(received) {
            let got = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if got < 0 {
                if errno == EINTR { continue }
                throw AuditError.system(.sinkFailed, operation: "receive", path: endpoint, errno: errno,
                                        remedy: "records stay in the log and are sent later")
            }
            if got == 0 { break }
            received += buffer[..<got]
        }
        return received
    }
}
