import CCordonLinux
import Foundation
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// The per-user control socket: line-delimited JSON, one request per connection, served on a
/// thread of its own. Only peers with the user's uid and the supervisor's own user namespace
/// (that is, outside every sandbox) are served.
public final class ControlServer: Sendable {
    /// The socket's path.
    public let path: String
    private let listener: CInt
    private let stopped = NIOLockedValueBox(false)

    private init(path: String, listener: CInt) {
        self.path = path
        self.listener = listener
    }

    /// Binds `path` (replacing a stale socket nobody serves) and starts serving `sessions`.
    /// Throws when another live supervisor already serves the path.
    public static func start(path: String, sessions: ControlSessions, logger: Logger) throws(ControlSocketError) -> ControlServer {
        let ownNamespace = try NamespaceID.ownUserNamespace()
        if ControlClient.isServed(path) {
            throw ControlSocketError(
                code: .socket, operation: "bind \(path)", reason: "another supervisor is serving it",
                remedy: "use that supervisor, or stop it first")
        }
        unlink(path)
        let fd = try UnixSocket.make(operation: "create control socket")
        do throws(ControlSocketError) {
            try UnixSocket.withAddress(path) { (sa, len) throws(ControlSocketError) in
                guard bind(fd, sa, len) == 0 else { throw UnixSocket.error("bind \(path)") }
            }
            guard chmod(path, 0o600) == 0, listen(fd, 16) == 0 else { throw UnixSocket.error("listen on \(path)") }
        } catch {
            close(fd)
            throw error
        }
        let server = ControlServer(path: path, listener: fd)
        let thread = Thread { server.serve(sessions: sessions, ownNamespace: ownNamespace, logger: logger) }
        thread.name = "cordon-control"
        thread.start()
        return server
    }

    /// Stops serving and removes the socket.
    public func stop() {
        let already = stopped.withLockedValue { s in
            defer { s = true }
            return s
        }
        guard !already else { return }
        unlink(path)
        shutdown(listener, Int32(SHUT_RDWR))  // wakes the accept loop, which closes the socket
    }

    private func serve(sessions: ControlSessions, ownNamespace: NamespaceID, logger: Logger) {
        defer { close(listener) }
        while !stopped.withLockedValue({ $0 }) {
            let conn = cordon_control_accept(listener)
            if conn < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            defer { close(conn) }
            // A slow peer can hold the loop only this long.
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let response: ControlResponse
            do throws(ControlSocketError) {
                // The line is read before the peer is judged, so a refused peer gets the refusal
                // rather than a reset connection.
                let line = try UnixSocket.readLine(conn)
                let peer = try ControlPeer.check(socket: conn, ownNamespace: ownNamespace)
                guard let request = try? ControlCoding.decoder().decode(ControlRequest.self, from: line) else {
                    throw ControlSocketError(
                        code: .protocolError, operation: "decode control request", reason: "not a control request",
                        remedy: "send one JSON object per line")
                }
                logger.info("control request", metadata: ["operation": "\(request.operation.rawValue)", "peer-pid": "\(peer.pid)"])
                response = sessions.handle(request)
            } catch {
                logger.warning("control connection refused", metadata: ["reason": "\(error)"])
                response = .failure(error)
            }
            if var data = try? ControlCoding.encoder().encode(response) {
                data.append(UInt8(ascii: "\n"))
                UnixSocket.writeAll(conn, data)
            }
        }
    }
}
