/// A Rego value: JSON plus sets, and objects whose keys may be any value.
///
/// Ordering follows OPA's total order across kinds (null < boolean < number < string < array
/// < object < set), strings compare by their UTF-8 bytes as Go does, and collections compare
/// element by element in their sorted order. Sets and objects are rendered in that sorted order.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Number)
    case string(String)
    case array([Value])
    case object([Value: Value])
    case set(Set<Value>)

    /// OPA's name for the value's type, as `type_name` returns it.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        case .set: return "set"
        }
    }

    /// Position of the kind in OPA's cross-kind order.
    var kindRank: Int {
        switch self {
        case .null: return 0
        case .bool: return 1
        case .number: return 2
        case .string: return 3
        case .array: return 4
        case .object: return 5
        case .set: return 6
        }
    }

    /// Convenience for integer literals.
    public static func int(_ i: Int) -> Value { .number(.int(i)) }
    /// Convenience for double literals.
    public static func double(_ d: Double) -> Value { .number(.float(d)) }
}

extension Value: Comparable {
    public static func < (lhs: Value, rhs: Value) -> Bool { compare(lhs, rhs) < 0 }

    /// Three-way comparison in OPA's order: negative, zero or positive.
    public static func compare(_ lhs: Value, _ rhs: Value) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.number(let a), .number(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        case (.string(let a), .string(let b)): return compareUTF8(a, b)
        case (.array(let a), .array(let b)): return compareSequences(a, b)
        case (.object(let a), .object(let b)):
            let ak = a.keys.sorted(), bk = b.keys.sorted()
            for (x, y) in zip(ak, bk) {
                let c = compare(x, y)
                if c != 0 { return c }
                let v = compare(a[x]!, b[y]!)
                if v != 0 { return v }
            }
            return ak.count == bk.count ? 0 : (ak.count < bk.count ? -1 : 1)
        case (.set(let a), .set(let b)): return compareSequences(a.sorted(), b.sorted())
        default: return lhs.kindRank < rhs.kindRank ? -1 : 1
        }
    }

    private static func compareSequences(_ a: [Value], _ b: [Value]) -> Int {
        for (x, y) in zip(a, b) {
            let c = compare(x, y)
            if c != 0 { return c }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    private static func compareUTF8(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        var ai = a.utf8.makeIterator(), bi = b.utf8.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }
}
