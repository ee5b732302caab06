/// Why a capability, a profile or a plan was refused: the one error type of SandboxPolicy.
public enum CapabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text does not parse; `expected` says what would.
    case invalid(text: String, expected: String)
    /// The capability parses but no enforcement layer implements it yet.
    case unsupported(text: String, reason: String)
    /// A path named by the profile cannot be used (missing, wrong kind, not absolute).
    case path(operation: String, path: String, reason: String, remedy: String)
    /// A seccomp program could not be assembled.
    case seccompProgram(reason: String)
    /// An OCI seccomp profile was refused.
    case seccompProfile(path: String, reason: String)
    /// A layer the plan needs is not available on this kernel and best effort was not asked for.
    case layerUnavailable(layer: String, feature: String, remedy: String)
    /// A limit (`--memory`, `--pids`) does not parse or is out of range.
    case limit(option: String, text: String, expected: String)

    public var description: String {
        switch self {
        case .invalid(let text, let expected): return "invalid capability '\(text)': expected \(expected)"
        case .unsupported(let text, let reason): return "capability '\(text)' is not supported: \(reason)"
        case .path(let operation, let path, let reason, let remedy): return "\(operation) '\(path)': \(reason); \(remedy)"
        case .seccompProgram(let reason): return "assembling the seccomp program: \(reason)"
        case .seccompProfile(let path, let reason): return "seccomp profile '\(path)': \(reason)"
        case .layerUnavailable(let layer, let feature, let remedy):
            return "cannot enforce layer '\(layer)': the kernel lacks \(feature); \(remedy), or run with --best-effort to start without it"
        case .limit(let option, let text, let expected): return "\(option) '\(text)': expected \(expected)"
        }
    }
}
