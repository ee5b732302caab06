/// A builtin function: its name, its declared signature (used by the compile-time type checker)
/// and its implementation.
public struct Builtin: Sendable {
    /// The dotted name, e.g. `"json.marshal"` or `"plus"` (the name behind an infix operator).
    public let name: String
    /// Declared operand types, in order. The arity is `parameters.count`.
    public let parameters: [BuiltinType]
    /// Declared result type.
    public let result: BuiltinType
    /// True when the result may differ between calls with the same arguments (clock, randomness,
    /// network); such calls are never cached or folded at compile time.
    public let nondeterministic: Bool
    /// The implementation. Returns `nil` for "undefined". Throws `BuiltinError` for type errors
    /// and builtin errors; the evaluator turns those into undefined unless strict mode is on
    /// (type errors found while evaluating are always raised, as OPA does).
    public let implementation: @Sendable ([Value], BuiltinContext) throws -> Value?

    /// Creates a builtin.
    public init(
        _ name: String,
        _ parameters: [BuiltinType],
        _ result: BuiltinType,
        nondeterministic: Bool = false,
        _ implementation: @escaping @Sendable ([Value], BuiltinContext) throws -> Value?
    ) {
        self.name = name
        self.parameters = parameters
        self.result = result
        self.nondeterministic = nondeterministic
        self.implementation = implementation
    }
}

/// A type in a builtin's declared signature; the subset of OPA's type language that builtins use.
public indirect enum BuiltinType: Sendable, Hashable {
    case any
    case null
    case boolean
    case number
    case string
    /// An array whose elements all have the given type.
    case array(BuiltinType)
    /// A set whose elements all have the given type.
    case set(BuiltinType)
    /// An object with the given key and value types.
    case object(key: BuiltinType, value: BuiltinType)
    /// Any of the listed types.
    case anyOf([BuiltinType])
}

/// Why a builtin refused its operands. Messages follow OPA's texts, e.g.
/// `plus: operand 1 must be number but got string`.
public struct BuiltinError: Error, Sendable, Equatable {
    /// The kind of failure, which decides the OPA error code.
    public enum Kind: Sendable, Equatable {
        /// `eval_type_error`: an operand had the wrong type.
        case type
        /// `eval_builtin_error`: the operands had the right type but the operation failed.
        case builtin
    }

    public let kind: Kind
    /// The whole message, already prefixed with the builtin's name as OPA does.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `"<name>: operand <n> must be <expected> but got <actual>"` (operands counted from 1).
    public static func operand(_ builtin: String, _ position: Int, mustBe expected: String, got actual: Value) -> BuiltinError {
        BuiltinError(.type, "\(builtin): operand \(position) must be \(expected) but got \(actual.typeName)")
    }
}

/// What a builtin may use besides its operands. The engine itself does no I/O: clock, time zones,
/// randomness, DNS and HTTP come from `hostServices`, which the embedder supplies and may switch off.
public struct BuiltinContext: Sendable {
    /// True when builtin errors must raise instead of making the expression undefined.
    public let strictBuiltinErrors: Bool
    /// The outside world, as the embedder allows it.
    public let hostServices: any HostServices
    /// The evaluation's start time in nanoseconds since the epoch (`time.now_ns` is constant
    /// within one evaluation).
    public let evaluationStartNanoseconds: Int64
    /// Where `print` output goes.
    public let printSink: @Sendable (String) -> Void

    public init(
        strictBuiltinErrors: Bool,
        hostServices: any HostServices,
        evaluationStartNanoseconds: Int64,
        printSink: @escaping @Sendable (String) -> Void
    ) {
        self.strictBuiltinErrors = strictBuiltinErrors
        self.hostServices = hostServices
        self.evaluationStartNanoseconds = evaluationStartNanoseconds
        self.printSink = printSink
    }
}

/// Everything a builtin may need from outside the engine. Each member may refuse by throwing.
public protocol HostServices: Sendable {
    /// Current wall-clock time in nanoseconds since the Unix epoch.
    func nowNanoseconds() throws -> Int64
    /// `count` random bytes.
    func randomBytes(count: Int) throws -> [UInt8]
}

/// Host services that refuse everything: the default for evaluations that must be pure.
public struct DisabledHostServices: HostServices {
    public init() {}
    public func nowNanoseconds() throws -> Int64 {
        throw BuiltinError(.builtin, "host services disabled: no clock")
    }
    public func randomBytes(count: Int) throws -> [UInt8] {
        throw BuiltinError(.builtin, "host services disabled: no randomness")
    }
}
