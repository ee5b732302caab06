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
            return Self.goFloatText(d)
        }
    }

    /// Go's `strconv.FormatFloat(d, 'g', -1, 64)`: shortest digits, exponent form below 1e-4
    /// and from 1e21 up, two-digit signed exponent.
    static func goFloatText(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
        let swift = "\(d)"
        // Swift prints shortest round-trip digits too; only the exponent spelling differs.
        guard let e = swift.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return swift.hasSuffix(".0") ? String(swift.dropLast(2)) : swift
        }
        var mantissa = String(swift[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = String(swift[swift.index(after: e)...])
        var sign = "+"
        if exponent.hasPrefix("-") { sign = "-"; exponent.removeFirst() } else if exponent.hasPrefix("+") { exponent.removeFirst() }
        if exponent.count < 2 { exponent = "0" + exponent }
        return mantissa + "e" + sign + exponent
    }
}
