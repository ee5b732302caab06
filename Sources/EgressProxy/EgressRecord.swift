import Foundation

/// One decision of the egress proxy or a host-service forwarder: one record per connection
/// attempt, written when the connection ends (at once for a deny).
public struct EgressRecord: Sendable, Codable, Equatable {
    /// How the client asked.
    public enum Kind: String, Sendable, Codable {
        /// `CONNECT host:port` over HTTP.
        case httpConnect = "http-connect"
        /// A plain HTTP request with an absolute URI.
        case http
        /// A SOCKS5 `CONNECT`.
        case socks5
        /// A connection to a forwarded host-service port.
        case forward
        /// A proxy client refused before it said what it wanted (a bound tripped).
        case proxy
    }

    /// The outcome.
    public enum Outcome: String, Sendable, Codable {
        /// Allowed and connected.
        case allow
        /// Refused by policy or by a bound.
        case deny
        /// Allowed, but the destination could not be reached.
        case error
    }

    /// When the client asked.
    public var time: Date
    /// The session the connection belongs to.
    public var session: String
    /// How the client asked.
    public var kind: Kind
    /// The calling process as seen from the supervisor, where it could be found.
    public var callerPID: Int32?
    /// The calling program, where it could be found.
    public var callerExecutable: String?
    /// The host as the client named it (an empty string when the request did not get that far).
    public var host: String
    /// The destination port (0 when the request did not get that far).
    public var port: UInt16
    /// The vetted address the proxy connected to.
    public var address: String?
    /// The outcome.
    public var outcome: Outcome
    /// The capability that allowed the connection (`network:...`).
    public var capability: String?
    /// Why the connection was refused or failed, or why an allowed tunnel was cut.
    public var reason: String?
    /// Bytes sent to the destination.
    public var bytesSent: UInt64
    /// Bytes received from the destination.
    public var bytesReceived: UInt64
    /// Seconds from the request to the end of the connection.
    public var durationSeconds: Double

    /// Creates a record.
    public init(
        time: Date, session: String, kind: Kind, callerPID: Int32?, callerExecutable: String?, host: String,
        port: UInt16, address: String?, outcome: Outcome, capability: String?, reason: String?,
        bytesSent: UInt64, bytesReceived: UInt64, durationSeconds: Double
    ) {
        self.time = time
        self.session = session
        self.kind = kind
        self.callerPID = callerPID
        self.callerExecutable = callerExecutable
        self.host = host
        self.port = port
        self.address = address
        self.outcome = outcome
        self.capability = capability
        self.reason = reason
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.durationSeconds = durationSeconds
    }
}

/// Where decision records go. Called from event-loop threads: implementations must not block
/// for long (buffer, or hand off to a queue).
public protocol EgressRecordSink: Sendable {
    /// Takes one record.
    func record(_ record: EgressRecord)
}
