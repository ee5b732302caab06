/// Rules whose ref heads overlap (`p[q].r := ...` beside `p.a.r := ...`) build one document.
extension Evaluator {
    /// Joins the value of a child node's rules into the value its parent's rules produced for
    /// the same key. Above the depth where the parent's rules place their values, objects merge
    /// key by key; at that depth a value is a rule's whole document: multi-value sets unite,
    /// equal values agree, and anything else (a different value, or a key injected inside the
    /// value) is OPA's conflict.
    static func joinRuleValues(_ existing: Value?, _ added: Value, _ parent: RuleNode, _ loc: SourceLocation?) throws -> Value {
        let leaf = parent.rules.map(\.tail.count).min() ?? 0
        return try join(existing, added, remaining: leaf - 1, loc)
    }

    private static func join(_ existing: Value?, _ added: Value, remaining: Int, _ loc: SourceLocation?) throws -> Value {
        guard let existing else { return added }
        switch (existing, added) {
        case (.object(var a), .object(let b)) where remaining > 0:
            for (k, v) in b { a[k] = try join(a[k], v, remaining: remaining - 1, loc) }
            return .object(a)
        case (.set(let a), .set(let b)) where remaining <= 0:
            return .set(a.union(b))
        default:
            if existing == added { return existing }
            throw RegoError(.evalConflict, "object keys must be unique", loc)
        }
    }
}
