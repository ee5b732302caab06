/// Why the egress proxy, a host-service forwarder or a record sink could not do what was asked.
public struct EgressProxyError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// A listening descriptor handed to the proxy was not usable.
        case listener
        /// The decision record sink could not be opened or written.
        case sink
        /// A configuration value is out of range.
        case configuration
    }

    /// What kind of failure this is.
    public var code: Code
    /// The operation that failed, naming the path or descriptor involved.
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
