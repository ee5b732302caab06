import BigInt

extension Number {
    /// A computed double as OPA hands it back: a whole result becomes an integer, as
    /// `FloatToNumber` formats integral floats without a fraction.
    static func fromDouble(_ d: Double) -> Number {
        guard d.isFinite, d.rounded(.towardZero) == d else { return .float(d) }
        if let i = Int(exactly: d) { return .int(i) }
        return .integer(BigInt(d))
    }

    /// The text OPA prints for the number (integers in full, other values shortest round-trip).
    var regoText: String {
        switch self {
        case .int(let i): return String(i)
        case .bigInt(let b): return String(b)
        case .float(let d):
            if d.isFinite, d.rounded(.towardZero) == d, abs(d) < 1e21, let b = BigInt(exactly: d) {
                return String(b)
            }
            return GoFloat.format(d, verb: "g", precision: nil)
        }
    }
}
