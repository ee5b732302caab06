/// Rules whose ref heads overlap (`p[q].r := ...` beside `p.a.r := ...`) build one document.
extension Evaluator {
    /// Joins the value of a child node's rules into the value its parent's rules produced for
    /// the same key: objects merge key by key, multi-value sets unite, equal values agree, and
    /// anything else is OPA's conflict.
    static func joinRuleValues(_ existing: Value?, _ added: Value, _ loc: SourceLocation?) throws -> Value {
        guard let existing else { return added }
        switch (existing, added) {
        case (.object(var a), .object(let b)):
            for (k, v) in b { a[k] = try joinRuleValues(a[k], v, loc) }
            return .object(a)
        case (.set(let a), .set(let b)):
            return .set(a.union(b))
        default:
            if existing == added { return existing }
            throw RegoError(.evalConflict, "object keys must be unique", loc)
        }
    }
}
