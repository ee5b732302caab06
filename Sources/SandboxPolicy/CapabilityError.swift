/// Why a capability text was refused.
public enum CapabilityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text does not parse; `expected` says what would.
    case invalid(text: String, expected: String)
    /// The capability parses but no enforcement layer implements it yet.
    case unsupported(text: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let text, let expected): return "invalid capability '\(text)': expected \(expected)"
        case .unsupported(let text, let reason): return "capability '\(text)' is not supported: \(reason)"
        }
    }
}
