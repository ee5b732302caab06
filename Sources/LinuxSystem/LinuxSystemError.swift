import SystemPackage

/// A system call in `LinuxSystem` failed: which operation, on which path, and the errno.
public struct LinuxSystemError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The operation, named after the system call or file it touches (`"mkdir"`, `"pids.max"`).
    public var operation: String
    /// The path involved, when there is one.
    public var path: String?
    /// The kernel's answer.
    public var errno: Errno
    /// For a failed launch: the step the child (or the parent preparing it) stopped at.
    public var step: ChildStep?
    /// For a failed launch: the index into that step's list (mount step, rule, listener), if any.
    public var index: Int?

    /// Creates an error for `operation` on `path`.
    public init(operation: String, path: String? = nil, errno: Errno, step: ChildStep? = nil, index: Int? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.step = step
        self.index = index
    }

    /// `operation path: strerror (ERRNO)`.
    public var description: String {
        let target = path.map { " \($0)" } ?? ""
        return "\(operation)\(target): \(errno.description) (errno \(errno.rawValue))"
    }
}
