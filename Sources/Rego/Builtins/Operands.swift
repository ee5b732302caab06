import BigInt

/// A builtin's operands with the checked accessors every implementation needs; each accessor
/// throws OPA's operand type error (`<name>: operand N must be <type> but got <type>`).
struct Operands {
    let name: String
    let values: [Value]

    /// The operand at a 1-based position, as OPA counts them in messages.
    subscript(position: Int) -> Value { values[position - 1] }

    func typeError(_ position: Int, _ expected: String...) -> BuiltinError {
        let got = self[position]
        if expected.count == 1 {
            return BuiltinError.operand(name, position, mustBe: expected[0], got: got)
        }
        return BuiltinError(.type, "\(name): operand \(position) must be one of {\(expected.joined(separator: ", "))} but got \(got.typeName)")
    }

    /// A type error with a free-form text after `operand N `.
    func operandError(_ position: Int, _ text: String) -> BuiltinError {
        BuiltinError(.type, "\(name): operand \(position) \(text)")
    }

    /// A builtin (non-type) error, prefixed with the builtin's name as OPA does.
    func failure(_ message: String) -> BuiltinError {
        BuiltinError(.builtin, "\(name): \(message)")
    }

    func string(_ position: Int) throws -> String {
        guard case .string(let s) = self[position] else { throw typeError(position, "string") }
        return s
    }

    func number(_ position: Int) throws -> Number {
        guard case .number(let n) = self[position] else { throw typeError(position, "number") }
        return n
    }

    /// An integral number that fits in `Int`.
    func int(_ position: Int) throws -> Int {
        let n = try number(position)
        guard let i = n.intValue else {
            throw operandError(position, "must be integer number but got floating-point number")
        }
        return i
    }

    /// An integral number of any size.
    func bigInt(_ position: Int) throws -> BigInt {
        guard case .number(let n) = self[position] else { throw typeError(position, "integer") }
        guard let i = n.bigIntValue else {
            throw operandError(position, "must be integer number but got floating-point number")
        }
        return i
    }

    func array(_ position: Int) throws -> [Value] {
        guard case .array(let a) = self[position] else { throw typeError(position, "array") }
        return a
    }

    func object(_ position: Int) throws -> [Value: Value] {
        guard case .object(let o) = self[position] else { throw typeError(position, "object") }
        return o
    }

    func set(_ position: Int) throws -> Set<Value> {
        guard case .set(let s) = self[position] else { throw typeError(position, "set") }
        return s
    }

    func bool(_ position: Int) throws -> Bool {
        guard case .bool(let b) = self[position] else { throw typeError(position, "boolean") }
        return b
    }

    /// The strings of an array or set operand (`StringSliceOperand` in OPA), in sorted order for sets.
    func strings(_ position: Int) throws -> [String] {
        let elements: [Value]
        switch self[position] {
        case .array(let a): elements = a
        case .set(let s): elements = s.sorted()
        default: throw typeError(position, "array", "set")
        }
        return try elements.map { element in
            guard case .string(let s) = element else {
                let kind = self[position].typeName
                throw operandError(position, "must be \(kind) of strings but got \(kind) containing \(element.typeName)")
            }
            return s
        }
    }
}

extension Builtin {
    /// A deterministic builtin whose body receives checked operands.
    static func function(
        _ name: String,
        _ parameters: [BuiltinType],
        _ result: BuiltinType,
        _ body: @escaping @Sendable (Operands) throws -> Value?
    ) -> Builtin {
        Builtin(name, parameters, result) { values, _ in
            try body(Operands(name: name, values: values))
        }
    }
}

extension BuiltinType {
    /// Any JSON-compatible collection or scalar; OPA's `types.A`.
    static let anyArray = BuiltinType.array(.any)
    static let anySet = BuiltinType.set(.any)
    static let anyObject = BuiltinType.object(key: .any, value: .any)
    static let stringArray = BuiltinType.array(.string)
}
