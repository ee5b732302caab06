import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Talks to the control socket from outside the sandbox (`cordon sessions`, `cordon net`).
public enum ControlClient {
    /// Sends one request to the socket at `path` and returns the answer.
    public static func send(_ request: ControlRequest, path: String) throws(ControlSocketError) -> ControlResponse {
        let fd = try connectTo(path)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard var data = try? ControlCoding.encoder().encode(request) else {
            throw ControlSocketError(code: .protocolError, operation: "encode control request", reason: "encoding failed", remedy: "report this")
        }
        data.append(UInt8(ascii: "\n"))
        UnixSocket.writeAll(fd, data)
        let line = try UnixSocket.readLine(fd)
        guard let response = try? ControlCoding.decoder().decode(ControlResponse.self, from: line) else {
            throw ControlSocketError(
                code: .protocolError, operation: "read answer from \(path)", reason: "not a control response",
                remedy: "check that the supervisor and this command are the same version")
        }
        return response
    }

    /// True when something accepts connections at `path`.
    static func isServed(_ path: String) -> Bool {
        guard let fd = try? connectTo(path) else { return false }
        close(fd)
        return true
    }

    private static func connectTo(_ path: String) throws(ControlSocketError) -> CInt {
        let fd = try UnixSocket.make(operation: "create socket for \(path)")
        do throws(ControlSocketError) {
            try UnixSocket.withAddress(path) { (sa, len) throws(ControlSocketError) in
                guard connect(fd, sa, len) == 0 else {
                    let code: ControlSocketError.Code = (errno == ENOENT || errno == ECONNREFUSED) ? .notRunning : .socket
                    throw ControlSocketError(
                        code: code, operation: "connect to \(path)", reason: String(cString: strerror(errno)),
                        remedy: "start a session with `cordon run` first")
                }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }
}

/// Unix stream socket plumbing shared by the control server and client.
enum UnixSocket {
    static func make(operation: String) throws(ControlSocketError) -> CInt {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw error(operation) }
        return fd
    }

    static func withAddress<T>(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(ControlSocketError) -> T
    ) throws(ControlSocketError) -> T {
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: sa.sun_path)
        guard bytes.count < capacity else {
            throw ControlSocketError(
                code: .socket, operation: "use \(path)", reason: "path longer than \(capacity - 1) bytes",
                remedy: "set XDG_RUNTIME_DIR to a shorter path")
        }
        withUnsafeMutableBytes(of: &sa.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let len = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result: Result<T, ControlSocketError> = withUnsafePointer(to: &sa) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                do throws(ControlSocketError) { return .success(try body(sp, len)) } catch { return .failure(error) }
            }
        }
        return try result.get()
    }

    /// Reads up to a newline; refuses lines over the bound and peers that stall.
    static func readLine(_ fd: CInt) throws(ControlSocketError) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !data.contains(UInt8(ascii: "\n")) {
            guard data.count <= ControlCoding.maxLineBytes else {
                throw ControlSocketError(code: .protocolError, operation: "read control line", reason: "line too long", remedy: "send at most 64 KiB")
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw ControlSocketError(
                    code: .protocolError, operation: "read control line",
                    reason: n == 0 ? "connection closed before a full line" : String(cString: strerror(errno)), remedy: "retry")
            }
            data.append(contentsOf: buffer[0..<n])
        }
        return data.prefix { $0 != UInt8(ascii: "\n") }
    }

    static func writeAll(_ fd: CInt, _ data: Data) {
        var offset = 0
        data.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    static func error(_ operation: String) -> ControlSocketError {
        ControlSocketError(code: .socket, operation: operation, reason: String(cString: strerror(errno)), remedy: "check the path and its directory")
    }
}
