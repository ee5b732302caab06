import BigInt

extension BuiltinRegistry {
    /// count, sum, product, max, min, sort, all, any.
    static let aggregates: [Builtin] = [
        Builtin.function("count", [.anyOf([.anyArray, .anyObject, .anySet, .string])], .number) { ops in
            switch ops[1] {
            case .array(let a): return .int(a.count)
            case .object(let o): return .int(o.count)
            case .set(let s): return .int(s.count)
            case .string(let s): return .int(s.unicodeScalars.count)
            default: throw ops.typeError(1, "array", "object", "set", "string")
            }
        },
        fold("sum", identity: 0, big: +, float: +),
        fold("product", identity: 1, big: *, float: *),
        Builtin.function("max", [.anyOf([.anySet, .anyArray])], .any) { ops in
            try collection(ops).max()
        },
        Builtin.function("min", [.anyOf([.anySet, .anyArray])], .any) { ops in
            try collection(ops).min()
        },
        Builtin.function("sort", [.anyOf([.anyArray, .anySet])], .anyArray) { ops in
            .array(try collection(ops).sorted())
        },
        Builtin.function("all", [.anyOf([.anySet, .anyArray])], .boolean) { ops in
            guard let items = truthCollection(ops[1]) else { throw ops.typeError(1, "array", "set") }
            return .bool(items.allSatisfy { $0 == .bool(true) })
        },
        Builtin.function("any", [.anyOf([.anySet, .anyArray])], .boolean) { ops in
            guard let items = truthCollection(ops[1]) else { throw ops.typeError(1, "array", "set") }
            return .bool(items.contains(.bool(true)))
        },
    ]

    private static func truthCollection(_ v: Value) -> [Value]? {
        switch v {
        case .array(let a): return a
        case .set(let s): return Array(s)
        default: return nil
        }
    }

    /// The elements of an array or set operand (sets in sorted order).
    private static func collection(_ ops: Operands) throws -> [Value] {
        switch ops[1] {
        case .array(let a): return a
        case .set(let s): return s.sorted()
        default: throw ops.typeError(1, "set", "array")
        }
    }

    /// Integers accumulate exactly; any other number makes the whole fold a double fold.
    private static func fold(
        _ name: String, identity: Int,
        big: @escaping @Sendable (BigInt, BigInt) -> BigInt,
        float: @escaping @Sendable (Double, Double) -> Double
    ) -> Builtin {
        Builtin.function(name, [.anyOf([.set(.number), .array(.number)])], .number) { ops in
            let items = try collection(ops)
            var numbers: [Number] = []
            numbers.reserveCapacity(items.count)
            for item in items {
                guard case .number(let n) = item else {
                    let kind = ops[1].typeName
                    throw ops.operandError(1, "must be \(kind) of numbers but got \(kind) containing \(item.typeName)")
                }
                numbers.append(n)
            }
            if numbers.allSatisfy(\.isInteger) {
                var acc = BigInt(identity)
                for n in numbers { acc = big(acc, n.bigIntValue!) }
                return .number(.integer(acc))
            }
            var acc = Double(identity)
            for n in numbers { acc = float(acc, n.doubleValue) }
            return try Arithmetic.finite(ops, .fromDouble(acc))
        }
    }
}
