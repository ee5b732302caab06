import Foundation

/// One request on the control socket: a single line of JSON, answered by one line.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// What is asked.
    public enum Operation: String, Codable, Sendable {
        /// List running sessions.
        case sessions
        /// List a session's network capabilities.
        case netList = "net-list"
        /// Grant a network capability to a running session.
        case netAllow = "net-allow"
        /// Withdraw a network capability from a running session, cutting its open tunnels.
        case netDeny = "net-deny"
    }

    /// What is asked.
    public var operation: Operation
    /// The session, for `net-*` operations.
    public var session: String?
    /// `HOST:PORT`, for `net-allow` and `net-deny`.
    public var endpoint: String?

    /// Creates a request.
    public init(operation: Operation, session: String? = nil, endpoint: String? = nil) {
        self.operation = operation
        self.session = session
        self.endpoint = endpoint
    }
}

/// A running session as the control socket describes it.
public struct ControlSessionInfo: Codable, Sendable, Equatable {
    /// The session identifier.
    public var id: String
    /// The supervisor's process id.
    public var supervisorPID: Int32
    /// The confined program and its arguments.
    public var command: [String]
    /// When the session started.
    public var started: Date
    /// Client connections open through the egress proxy and forwarders.
    public var openConnections: Int

    /// Creates a description.
    public init(id: String, supervisorPID: Int32, command: [String], started: Date, openConnections: Int) {
        self.id = id
        self.supervisorPID = supervisorPID
        self.command = command
        self.started = started
        self.openConnections = openConnections
    }
}

/// The answer to one request.
public struct ControlResponse: Codable, Sendable, Equatable {
    /// True when the request was carried out.
    public var ok: Bool
    /// Why it was not, when `ok` is false.
    public var error: String?
    /// The error's code, when `ok` is false.
    public var code: ControlSocketError.Code?
    /// Running sessions, for `sessions`.
    public var sessions: [ControlSessionInfo]?
    /// Granted `network:` targets, for `net-*`.
    public var allowed: [String]?
    /// Targets withdrawn while the session ran, for `net-*`.
    public var denied: [String]?
    /// Tunnels a `net-deny` cut.
    public var tunnelsCut: Int?

    /// Creates a response.
    public init(
        ok: Bool, error: String? = nil, code: ControlSocketError.Code? = nil, sessions: [ControlSessionInfo]? = nil,
        allowed: [String]? = nil, denied: [String]? = nil, tunnelsCut: Int? = nil
    ) {
        self.ok = ok
        self.error = error
        self.code = code
        self.sessions = sessions
        self.allowed = allowed
        self.denied = denied
        self.tunnelsCut = tunnelsCut
    }

    /// A failed response carrying `error`.
    public static func failure(_ error: ControlSocketError) -> ControlResponse {
        ControlResponse(ok: false, error: error.description, code: error.code)
    }
}

enum ControlCoding {
    static let maxLineBytes = 64 * 1024

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
