import BigInt

extension BuiltinRegistry {
    /// Arithmetic behind the infix operators, rounding and numeric ranges.
    static let arithmetic: [Builtin] = [
        binaryNumeric("plus", int: { $0.addingReportingOverflow($1) }, big: { $0 + $1 }, float: { $0 + $1 }),
        Builtin.function("minus", [.anyOf([.number, .anySet]), .anyOf([.number, .anySet])], .anyOf([.number, .anySet])) { ops in
            switch (ops[1], ops[2]) {
            case (.number(let a), .number(let b)):
                return try Arithmetic.finite(ops, Arithmetic.apply(
                    a, b, int: { $0.subtractingReportingOverflow($1) }, big: { $0 - $1 }, float: { $0 - $1 }))
            case (.set(let a), .set(let b)):
                return .set(a.subtracting(b))
            case (.number, _): throw ops.typeError(2, "number")
            case (.set, _): throw ops.typeError(2, "set")
            default: throw ops.typeError(1, "number", "set")
            }
        },
        binaryNumeric("mul", int: { $0.multipliedReportingOverflow(by: $1) }, big: { $0 * $1 }, float: { $0 * $1 }),
        Builtin.function("div", [.number, .number], .number) { ops in
            let a = try ops.number(1), b = try ops.number(2)
            if b.doubleValue == 0 { throw ops.failure("divide by zero") }
            if let x = a.bigIntValue, let y = b.bigIntValue, x != 0, x % y == 0 {
                return .number(.integer(x / y))
            }
            return try Arithmetic.finite(ops, .fromDouble(a.doubleValue / b.doubleValue))
        },
        Builtin.function("rem", [.number, .number], .number) { ops in
            let a = try ops.number(1), b = try ops.number(2)
            guard let x = a.bigIntValue, let y = b.bigIntValue else { throw ops.failure("modulo on floating-point number") }
            if y == 0 { throw ops.failure("modulo by zero") }
            return .number(.integer(x % y))
        },
        unaryNumeric("abs") { x in x < 0 ? -x : x },
        unaryNumeric("round") { x in x < 0 ? (x - 0.5).rounded(.towardZero) : (x + 0.5).rounded(.towardZero) },
        // OPA truncates first and then steps away only when the truncated value's sign says
        // so, which makes ceil(-0.5) 1 and floor(-0.5) 0; kept for identical answers.
        unaryNumeric("ceil") { x in
            let t = x.rounded(.towardZero)
            return t < 0 || t == x ? t : t + 1
        },
        unaryNumeric("floor") { x in
            let t = x.rounded(.towardZero)
            return t >= 0 || t == x ? t : t - 1
        },
        Builtin.function("numbers.range", [.number, .number], .array(.number)) { ops in
            try Arithmetic.range(ops, ops.bigInt(1), ops.bigInt(2), step: 1)
        },
        Builtin.function("numbers.range_step", [.number, .number, .number], .array(.number)) { ops in
            let from = try ops.bigInt(1), to = try ops.bigInt(2), step = try ops.bigInt(3)
            if step <= 0 { throw ops.failure("step must be a positive integer") }
            return try Arithmetic.range(ops, from, to, step: step)
        },
    ]

    private static func binaryNumeric(
        _ name: String,
        int: @escaping @Sendable (Int, Int) -> (partialValue: Int, overflow: Bool),
        big: @escaping @Sendable (BigInt, BigInt) -> BigInt,
        float: @escaping @Sendable (Double, Double) -> Double
    ) -> Builtin {
        Builtin.function(name, [.number, .number], .number) { ops in
            try Arithmetic.finite(ops, Arithmetic.apply(try ops.number(1), try ops.number(2), int: int, big: big, float: float))
        }
    }

    /// Integers stay integers (absolute value of an integer, for instance); other values go
    /// through doubles and come back whole when the result is whole.
    private static func unaryNumeric(_ name: String, _ float: @escaping @Sendable (Double) -> Double) -> Builtin {
        Builtin.function(name, [.number], .number) { ops in
            let n = try ops.number(1)
            switch n {
            case .int(let i) where i != Int.min:
                return .number(name == "abs" ? .int(Swift.abs(i)) : .int(i))
            case .bigInt(let b):
                return .number(.integer(name == "abs" ? (b < 0 ? -b : b) : b))
            default:
                if let b = n.bigIntValue { return .number(.integer(name == "abs" ? (b < 0 ? -b : b) : b)) }
                return .number(.fromDouble(float(n.doubleValue)))
            }
        }
    }
}

/// Shared arithmetic on `Number`s with OPA's promotion rules.
enum Arithmetic {
    /// Largest number of elements a range may produce; bounds memory for hostile inputs.
    static let maxRangeLength = 10_000_000

    static func apply(
        _ a: Number, _ b: Number,
        int: (Int, Int) -> (partialValue: Int, overflow: Bool),
        big: (BigInt, BigInt) -> BigInt,
        float: (Double, Double) -> Double
    ) -> Number {
        if case .int(let x) = a, case .int(let y) = b {
            let r = int(x, y)
            if !r.overflow { return .int(r.partialValue) }
        }
        if let x = a.bigIntValue, let y = b.bigIntValue { return .integer(big(x, y)) }
        return .fromDouble(float(a.doubleValue, b.doubleValue))
    }

    /// Doubles that overflow become an error rather than an infinity no JSON can carry.
    static func finite(_ ops: Operands, _ n: Number) throws -> Value {
        if case .float(let d) = n, !d.isFinite { throw ops.failure("floating-point result out of range") }
        return .number(n)
    }

    static func range(_ ops: Operands, _ from: BigInt, _ to: BigInt, step: BigInt) throws -> Value {
        let span = (from > to ? from - to : to - from) / step
        if span >= BigInt(maxRangeLength) { throw ops.failure("range of more than \(maxRangeLength) numbers") }
        var out: [Value] = []
        out.reserveCapacity(Int(span) + 1)
        var i = from
        if from <= to {
            while i <= to { out.append(.number(.integer(i))); i += step }
        } else {
            while i >= to { out.append(.number(.integer(i))); i -= step }
        }
        return .array(out)
    }
}
