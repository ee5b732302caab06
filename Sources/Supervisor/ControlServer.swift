import CCordonLinux
import LinuxSystem
import Foundation
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// The per-user control socket: line-delimited JSON, one request per connection. Only peers
/// with the user's uid and the supervisor's own user namespace (that is, outside every sandbox)
/// are served.
///
/// Every supervisor of the user starts one. The one holding `control.lock` (an exclusive
/// `flock`, released by the kernel when its holder dies) binds the socket and serves; the others
/// attach to it over a connection of their own, and it forwards requests for their sessions
/// there. When the serving supervisor exits, an attached one takes the lock and serves.
public final class ControlServer: Sendable {
    private struct State {
        var stopped = false
        var listener: CInt?
        /// The locked `control.lock` descriptor while serving.
        var lock: CInt?
        var upstream: CInt?
        var attachments: [CInt] = []
    }

    /// The socket's path.
    public let path: String
    private let lockPath: String
    private let state = NIOLockedValueBox(State())

    private init(path: String) {
        self.path = path
        self.lockPath = (path as NSString).deletingLastPathComponent + "/control.lock"
    }

    /// Serves `sessions` on `path`, or attaches them to the supervisor serving it.
    public static func start(path: String, sessions: ControlSessions, logger: Logger) throws(ControlSocketError) -> ControlServer {
        let ownNamespace = try NamespaceID.ownUserNamespace()
        let server = ControlServer(path: path)
        try server.claimOrAttach(ownNamespace: ownNamespace)
        guard DetachedThread.start(name: "cordon-control", { server.run(sessions: sessions, ownNamespace: ownNamespace, logger: logger) }) else {
            server.stop()
            throw ControlSocketError(code: .socket, operation: "start the control socket's thread", reason: "pthread_create failed",
                                     remedy: "check the process limit (ulimit -u)")
        }
        return server
    }

    /// True while this supervisor is the one serving the socket.
    public var isServing: Bool { state.withLockedValue { $0.listener != nil } }

    /// Stops serving (removing the socket) or detaches.
    public func stop() {
        let s = state.withLockedValue { s in
            defer {
                s.stopped = true
                s.listener = nil
                s.lock = nil
                s.upstream = nil
            }
            return s
        }
        guard !s.stopped else { return }
        if let listener = s.listener {
            unlink(path)
            shutdown(listener, Int32(SHUT_RDWR))  // wakes the accept loop, which closes the socket
        }
        if let lock = s.lock { close(lock) }  // lets an attached supervisor take over
        if let upstream = s.upstream { shutdown(upstream, Int32(SHUT_RDWR)) }
        for fd in s.attachments { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private var stopped: Bool { state.withLockedValue { $0.stopped } }

    /// Serves, or follows the serving supervisor, until stopped; takes over when the server goes.
    private func run(sessions: ControlSessions, ownNamespace: NamespaceID, logger: Logger) {
        while !stopped {
            if let listener = state.withLockedValue({ $0.listener }) {
                serve(listener, sessions: sessions, ownNamespace: ownNamespace, logger: logger)
                close(listener)
            } else if let upstream = state.withLockedValue({ $0.upstream }) {
                follow(upstream, sessions: sessions)
                close(upstream)
                state.withLockedValue { $0.upstream = nil }
            }
            guard !stopped else { return }
            usleep(50_000)
            do {
                try claimOrAttach(ownNamespace: ownNamespace)
            } catch {
                logger.warning("control socket unavailable; retrying", metadata: ["reason": "\(error)"])
            }
        }
    }

    /// Takes the lock and binds, or attaches to the holder of the lock.
    private func claimOrAttach(ownNamespace: NamespaceID) throws(ControlSocketError) {
        var lastError: ControlSocketError?
        // The holder may still be binding, or already leaving: its socket is gone before its
        // lock is, so the lock is tried again between attempts to attach.
        for _ in 0..<80 {
            if try claim() { return }
            do throws(ControlSocketError) {
                try attach(ownNamespace: ownNamespace)
                return
            } catch {
                lastError = error
                usleep(25_000)
            }
        }
        throw lastError!
    }

    /// Serves the socket when this supervisor gets `control.lock`; false when another holds it.
    private func claim() throws(ControlSocketError) -> Bool {
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw UnixSocket.error("open \(lockPath)") }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            close(lock)
            return false
        }
        // The lock stays held until `stop` or the death of this process.
        unlink(path)
        let fd = try UnixSocket.make(operation: "create control socket")
        do throws(ControlSocketError) {
            try UnixSocket.withAddress(path) { (sa, len) throws(ControlSocketError) in
                guard bind(fd, sa, len) == 0 else { throw UnixSocket.error("bind \(path)") }
            }
            guard chmod(path, 0o600) == 0, listen(fd, 16) == 0 else { throw UnixSocket.error("listen on \(path)") }
        } catch {
            close(fd)
            close(lock)
            throw error
        }
        state.withLockedValue {
            $0.listener = fd
            $0.lock = lock
        }
        return true
    }

    /// Attaches to the serving supervisor, which then forwards requests for this one's sessions.
    private func attach(ownNamespace: NamespaceID) throws(ControlSocketError) {
        let fd = try ControlClient.connectTo(path)
        do throws(ControlSocketError) {
            _ = try ControlPeer.check(socket: fd, ownNamespace: ownNamespace)
            var line = try Self.encode(ControlRequest(operation: .attach))
            line.append(UInt8(ascii: "\n"))
            UnixSocket.writeAll(fd, line)
            let answer = try UnixSocket.readLine(fd)
            guard (try? ControlCoding.decoder().decode(ControlResponse.self, from: answer))?.ok == true else {
                throw ControlSocketError(
                    code: .peerRefused, operation: "attach to \(path)", reason: "the serving supervisor refused",
                    remedy: "check that both supervisors run as the same user outside any sandbox")
            }
        } catch {
            close(fd)
            throw error
        }
        state.withLockedValue { $0.upstream = fd }
    }

    /// Answers requests the serving supervisor forwards, until it goes away.
    private func follow(_ fd: CInt, sessions: ControlSessions) {
        while !stopped {
            guard let line = try? UnixSocket.readLine(fd, timeoutAllowed: false),
                let request = try? ControlCoding.decoder().decode(ControlRequest.self, from: line),
                var answer = try? Self.encode(sessions.handle(request))
            else { return }
            answer.append(UInt8(ascii: "\n"))
            UnixSocket.writeAll(fd, answer)
        }
    }

    private func serve(_ listener: CInt, sessions: ControlSessions, ownNamespace: NamespaceID, logger: Logger) {
        while !stopped {
            let conn = cordon_control_accept(listener)
            if conn < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            // A slow peer can hold the loop only this long.
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var keep = false
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
                if request.operation == .attach {
                    keep = true
                    response = ControlResponse(ok: true)
                } else {
                    response = route(request, local: sessions)
                }
            } catch {
                logger.warning("control connection refused", metadata: ["reason": "\(error)"])
                response = .failure(error)
            }
            if var data = try? Self.encode(response) {
                data.append(UInt8(ascii: "\n"))
                UnixSocket.writeAll(conn, data)
            }
            if keep {
                state.withLockedValue { $0.attachments.append(conn) }
            } else {
                close(conn)
            }
        }
    }

    /// Answers from this supervisor's sessions and from every attached supervisor's.
    private func route(_ request: ControlRequest, local: ControlSessions) -> ControlResponse {
        var answers = [local.handle(request)]
        for fd in state.withLockedValue({ $0.attachments }) {
            guard var line = try? Self.encode(request) else { continue }
            line.append(UInt8(ascii: "\n"))
            UnixSocket.writeAll(fd, line)
            guard let reply = try? UnixSocket.readLine(fd),
                let answer = try? ControlCoding.decoder().decode(ControlResponse.self, from: reply)
            else {
                // The attached supervisor has gone: forget it.
                state.withLockedValue { $0.attachments.removeAll { $0 == fd } }
                close(fd)
                continue
            }
            answers.append(answer)
        }
        if request.operation == .sessions {
            let all = answers.flatMap { $0.sessions ?? [] }.sorted { $0.started < $1.started }
            return ControlResponse(ok: true, sessions: all)
        }
        return answers.first { $0.ok } ?? answers[0]
    }

    private static func encode<T: Encodable>(_ value: T) throws(ControlSocketError) -> Data {
        do {
            return try ControlCoding.encoder().encode(value)
        } catch {
            throw ControlSocketError(code: .protocolError, operation: "encode control message", reason: "\(error)", remedy: "report this")
        }
    }
}
