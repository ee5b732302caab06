import EgressProxy
import Foundation
import NIOConcurrencyHelpers
import SandboxPolicy

/// The sessions this supervisor runs, as the control socket sees them.
public final class ControlSessions: Sendable {
    /// One running session.
    public struct Entry: Sendable {
        /// The session identifier.
        public var id: String
        /// The confined program and its arguments.
        public var command: [String]
        /// When the session started.
        public var started: Date
        /// The session's network side, when it has one.
        public var egress: EgressSession?

        /// Creates an entry.
        public init(id: String, command: [String], started: Date = Date(), egress: EgressSession?) {
            self.id = id
            self.command = command
            self.started = started
            self.egress = egress
        }
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// An empty registry.
    public init() {}

    /// Adds a session (replacing one with the same id).
    public func register(_ entry: Entry) {
        entries.withLockedValue { $0[entry.id] = entry }
    }

    /// Removes a session when it ends.
    public func unregister(id: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: id) }
    }

    /// Carries out one request.
    public func handle(_ request: ControlRequest) -> ControlResponse {
        do {
            return try perform(request)
        } catch {
            return .failure(error)
        }
    }

    private func perform(_ request: ControlRequest) throws(ControlSocketError) -> ControlResponse {
        if request.operation == .sessions {
            let pid = getpid()
            let list = entries.withLockedValue { Array($0.values) }.sorted { $0.started < $1.started }.map {
                ControlSessionInfo(
                    id: $0.id, supervisorPID: pid, command: $0.command, started: $0.started,
                    openConnections: $0.egress?.openConnections ?? 0)
            }
            return ControlResponse(ok: true, sessions: list)
        }
        guard let id = request.session else { throw requestError("no session given", remedy: "pass --session ID") }
        guard let entry = entries.withLockedValue({ $0[id] }) else {
            throw requestError("no running session '\(id)'", remedy: "see `cordon sessions` for running sessions")
        }
        guard let egress = entry.egress else {
            throw requestError("session '\(id)' has no network side", remedy: "start it with a network capability")
        }
        var tunnelsCut: Int?
        switch request.operation {
        case .sessions, .netList:
            break
        case .netAllow, .netDeny:
            guard let endpoint = request.endpoint else { throw requestError("no HOST:PORT given", remedy: "name the endpoint") }
            let pattern: NetworkEndpointPattern
            do {
                pattern = try NetworkEndpointPattern(parsing: endpoint)
            } catch {
                throw requestError("\(error)", remedy: "write HOST:PORT")
            }
            if request.operation == .netAllow {
                egress.allow(pattern)
            } else {
                tunnelsCut = egress.deny(pattern)
            }
        }
        return ControlResponse(
            ok: true, allowed: egress.rules.allowed.map(\.description), denied: egress.rules.denied.map(\.description),
            tunnelsCut: tunnelsCut)
    }

    private func requestError(_ reason: String, remedy: String) -> ControlSocketError {
        ControlSocketError(code: .request, operation: "control request", reason: reason, remedy: remedy)
    }
}
