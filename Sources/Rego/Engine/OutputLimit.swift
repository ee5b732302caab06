/// The output-size bound of one evaluation: the results of a query, measured as the bytes of
/// their JSON text, may not exceed `EvalOptions.maxOutputBytes`.
struct OutputLimit {
    let limit: Int
    private(set) var used = 0

    init(_ limit: Int) {
        self.limit = limit
    }

    /// Counts one result row; throws `eval_limit_error` once the total passes the limit.
    mutating func count(_ values: [Value], _ bindings: [(name: String, value: Value)]) throws {
        guard limit > 0 else { return }
        for v in values {
            used += OutputLimit.size(v, budget: limit - used + 1)
            if used > limit { throw exceeded }
        }
        for (name, v) in bindings {
            used += name.utf8.count + 4 + OutputLimit.size(v, budget: limit - used + 1)
            if used > limit { throw exceeded }
        }
    }

    private var exceeded: RegoError {
        RegoError(.evalLimit, "output size limit exceeded: results are larger than \(limit) bytes",
                  details: ["remedy: return a smaller document or raise the limit (EvalOptions.maxOutputBytes, --max-output-bytes)"])
    }

    /// The length of a value's JSON text, or a number above `budget` as soon as that is certain
    /// (an oversized result is not walked to its end).
    static func size(_ v: Value, budget: Int) -> Int {
        switch v {
        case .null: return 4
        case .bool(let b): return b ? 4 : 5
        case .number: return v.json().utf8.count
        case .string(let s): return s.utf8.count + 2
        case .array(let a):
            return sequenceSize(a, budget: budget)
        case .set(let s):
            return sequenceSize(s, budget: budget)
        case .object(let o):
            var n = 2
            for (k, x) in o {
                if case .string(let s) = k { n += s.utf8.count + 2 } else { n += size(k, budget: budget - n) + 2 }
                n += 1 + size(x, budget: budget - n)
                if n > budget { return n }
            }
            return n + max(0, o.count - 1)
        }
    }

    private static func sequenceSize<S: Sequence>(_ items: S, budget: Int) -> Int where S.Element == Value {
        var n = 1
        for x in items {
            n += 1 + size(x, budget: budget - n)
            if n > budget { return n }
        }
        return n == 1 ? 2 : n
    }
}
