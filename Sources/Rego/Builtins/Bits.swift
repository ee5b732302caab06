import BigInt

extension BuiltinRegistry {
    /// bits.and, bits.or, bits.xor, bits.negate, bits.lsh, bits.rsh on integers of any size
    /// (negative values in two's complement, as Go's big.Int does).
    static let bits: [Builtin] = [
        binaryBits("bits.and") { a, b, _ in a & b },
        binaryBits("bits.or") { a, b, _ in a | b },
        binaryBits("bits.xor") { a, b, _ in a ^ b },
        Builtin.function("bits.negate", [.number], .number) { ops in
            .number(.integer(~(try ops.bigInt(1))))
        },
        binaryBits("bits.lsh") { a, b, ops in a << (try shiftCount(b, ops)) },
        binaryBits("bits.rsh") { a, b, ops in
            let n = try shiftCount(b, ops, limit: false)
            // An arithmetic shift floors, so a negative value bottoms out at -1.
            if n >= a.bitWidth + 1 { return a < 0 ? -1 : 0 }
            if a < 0 { return -((-a - 1) >> n) - 1 }
            return a >> n
        },
    ]

    /// Largest left shift accepted; a longer one would only exhaust memory.
    static let maxShift = 1 << 20

    private static func shiftCount(_ b: BigInt, _ ops: Operands, limit: Bool = true) throws -> Int {
        if b < 0 { throw ops.operandError(2, "must be an unsigned integer number but got a negative integer") }
        guard let n = Int(exactly: b), !limit || n <= maxShift else {
            if !limit { return Int.max }
            throw ops.failure("shift count too large")
        }
        return n
    }

    private static func binaryBits(
        _ name: String, _ op: @escaping @Sendable (BigInt, BigInt, Operands) throws -> BigInt
    ) -> Builtin {
        Builtin.function(name, [.number, .number], .number) { ops in
            .number(.integer(try op(try ops.bigInt(1), try ops.bigInt(2), ops)))
        }
    }
}
