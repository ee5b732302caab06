import SandboxPolicy

/// Why a session did not start: the one error type of the session code, each case naming the
/// operation, the path and a remedy.
public enum SessionError: Error, Sendable, CustomStringConvertible {
    /// The profile was refused (a capability, a path, a missing layer).
    case policy(CapabilityError)
    /// The launcher could not apply the plan; `message` is its full explanation and `notFound`
    /// says whether the program itself was missing.
    case launch(message: String, notFound: Bool)
    /// A file or system call Cordon needed failed before the launch.
    case system(operation: String, path: String, reason: String, remedy: String)

    public var description: String {
        switch self {
        case .policy(let error): return "cordon: \(error)"
        case .launch(let message, _): return "cordon: \(message)"
        case .system(let operation, let path, let reason, let remedy):
            return "cordon: \(operation)\(path.isEmpty ? "" : " '\(path)'"): \(reason); \(remedy)"
        }
    }
}
