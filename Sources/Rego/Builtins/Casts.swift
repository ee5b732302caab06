extension BuiltinRegistry {
    /// to_number and the deprecated cast_* conversions.
    static let casts: [Builtin] = [
        Builtin.function("to_number", [.anyOf([.null, .boolean, .number, .string])], .number) { ops in
            switch ops[1] {
            case .null: return .int(0)
            case .bool(let b): return .int(b ? 1 : 0)
            case .number: return ops[1]
            case .string(let s):
                let word = s.drop { $0 == "+" || $0 == "-" }.lowercased()
                if word == "inf" || word == "infinity" || word == "nan" { throw ops.typeError(1, "valid number string") }
                guard let n = NumberText.parseGoFloat(s) else {
                    // Well-formed but beyond a double is Go's range error, anything else a syntax error.
                    let reason = Double(s).map { $0.isInfinite } == true ? "value out of range" : "invalid syntax"
                    throw ops.failure("strconv.ParseFloat: parsing \(GoQuote.quote(s)): \(reason)")
                }
                return .number(n)
            default: throw ops.typeError(1, "null", "boolean", "number", "string")
            }
        },
        Builtin.function("cast_array", [.any], .anyArray) { ops in
            switch ops[1] {
            case .array: return ops[1]
            case .set(let s): return .array(s.sorted())
            default: throw ops.typeError(1, "array", "set")
            }
        },
        Builtin.function("cast_set", [.any], .anySet) { ops in
            switch ops[1] {
            case .array(let a): return .set(Set(a))
            case .set: return ops[1]
            default: throw ops.typeError(1, "array", "set")
            }
        },
        identityCast("cast_string", "string", .string) { if case .string = $0 { return true }; return false },
        identityCast("cast_boolean", "boolean", .boolean) { if case .bool = $0 { return true }; return false },
        identityCast("cast_null", "null", .null) { if case .null = $0 { return true }; return false },
        identityCast("cast_object", "object", .anyObject) { if case .object = $0 { return true }; return false },
    ]

    private static func identityCast(
        _ name: String, _ kind: String, _ result: BuiltinType, _ test: @escaping @Sendable (Value) -> Bool
    ) -> Builtin {
        Builtin.function(name, [.any], result) { ops in
            guard test(ops[1]) else { throw ops.typeError(1, kind) }
            return ops[1]
        }
    }
}
