#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every error AuditLog throws: the operation, the path, the cause, and what to do about it.
public struct AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, for callers that branch on it.
    public enum Code: String, Sendable {
        /// A system call failed (see `errno`).
        case io
        /// A record could not be written; in `required` mode the session must stop.
        case writeFailed
        /// A file's content is not a valid audit record where one must be.
        case corrupt
        /// A key file or key string could not be read.
        case badKey
        /// An argument was not acceptable (a mask rule, a URL, a time).
        case invalidArgument
        /// A sink could not deliver.
        case sinkFailed
    }

    /// The kind of failure.
    public var code: Code
    /// The operation that failed, e.g. `append`, `open`, `rotate`.
    public var operation: String
    /// The file, directory or endpoint concerned.
    public var path: String
    /// The errno of the failed system call, if any.
    public var errno: Int32?
    /// What happened, in words.
    public var detail: String
    /// What to do about it.
    public var remedy: String

    /// An error with all its parts.
    public init(
        _ code: Code, operation: String, path: String, errno: Int32? = nil, detail: String, remedy: String
    ) {
        self.code = code
        self.operation = operation
        self.path = path
        self.errno = errno
        self.detail = detail
        self.remedy = remedy
    }

    /// An error for a failed system call; the detail is the system's message for `errno`.
    static func system(
        _ code: Code = .io, operation: String, path: String, errno value: Int32, remedy: String
    ) -> AuditError {
        AuditError(code, operation: operation, path: path, errno: value,
                   detail: String(cString: strerror(value)), remedy: remedy)
    }

    /// `audit <operation> <path>: <detail> (<remedy>)`.
    public var description: String {
        "audit \(operation) \(path): \(detail) (\(remedy))"
    }
}
