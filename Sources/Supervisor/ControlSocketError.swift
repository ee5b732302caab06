/// Why the control socket could not be set up, reached or used.
public struct ControlSocketError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Codable {
        /// The socket's directory is missing, not owned by the user, or open to others.
        case unsafeDirectory = "unsafe-directory"
        /// A socket call failed.
        case socket
        /// No supervisor is listening (no session is running).
        case notRunning = "not-running"
        /// The peer is not allowed to use the socket.
        case peerRefused = "peer-refused"
        /// The request or the answer could not be understood.
        case protocolError = "protocol"
        /// The request named something that does not exist or is invalid.
        case request
    }

    /// What kind of failure this is.
    public var code: Code
    /// The operation that failed, with the path involved.
    public var operation: String
    /// What went wrong.
    public var reason: String
    /// What to do about it.
    public var remedy: String

    /// Creates an error.
    public init(code: Code, operation: String, reason: String, remedy: String) {
        self.code = code
        self.operation = operation
        self.reason = reason
        self.remedy = remedy
    }

    /// `operation: reason (remedy)`.
    public var description: String { "\(operation): \(reason) (\(remedy))" }
}
