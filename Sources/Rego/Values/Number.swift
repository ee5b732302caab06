import BigInt

/// A Rego number with OPA's semantics: integers stay exact at any size, everything else is a double.
///
/// Equality, hashing and ordering are by value across representations, so `2`, `2.0` and a
/// `BigInt` of two are the same set member and the same object key, as in OPA.
public enum Number: Sendable {
    /// An integer that fits in `Int`.
    case int(Int)
    /// An integer outside `Int`'s range. Never holds a value that fits in `Int` (see `normalized`).
    case bigInt(BigInt)
    /// A value with a fractional part, or a literal written with a fraction or exponent.
    case float(Double)

    /// The canonical representation: big integers that fit in `Int` become `.int`.
    public static func integer(_ value: BigInt) -> Number {
        if let small = Int(exactly: value) { return .int(small) }
        return .bigInt(value)
    }

    /// True when the value is a whole number (whatever its representation).
    public var isInteger: Bool {
        switch self {
        case .int, .bigInt: return true
        case .float(let d): return d.isFinite && d.rounded(.towardZero) == d
        }
    }

    /// The value as an exact integer, when it is one.
    public var bigIntValue: BigInt? {
        switch self {
        case .int(let i): return BigInt(i)
        case .bigInt(let b): return b
        case .float(let d): return d.isFinite && d.rounded(.towardZero) == d ? BigInt(exactly: d) : nil
        }
    }

    /// The value as an `Int`, when it is a whole number in range.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bigInt: return nil
        case .float(let d): return d.isFinite && d.rounded(.towardZero) == d ? Int(exactly: d) : nil
        }
    }

    /// The value as a double (may round big integers).
    public var doubleValue: Double {
        switch self {
        case .int(let i): return Double(i)
        case .bigInt(let b): return Double(b)
        case .float(let d): return d
        }
    }
}

extension Number: Equatable {
    public static func == (lhs: Number, rhs: Number) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        case (.bigInt(let a), .bigInt(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        default:
            if let a = lhs.bigIntValue, let b = rhs.bigIntValue { return a == b }
            if lhs.isInteger != rhs.isInteger { return false }
            return lhs.doubleValue == rhs.doubleValue
        }
    }
}

extension Number: Hashable {
    public func hash(into hasher: inout Hasher) {
        if let i = intValue {
            hasher.combine(0 as UInt8)
            hasher.combine(i)
        } else if let b = bigIntValue {
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        } else {
            hasher.combine(2 as UInt8)
            hasher.combine(doubleValue)
        }
    }
}

extension Number: Comparable {
    public static func < (lhs: Number, rhs: Number) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        default:
            if let a = lhs.bigIntValue, let b = rhs.bigIntValue { return a < b }
            return lhs.doubleValue < rhs.doubleValue
        }
    }
}
