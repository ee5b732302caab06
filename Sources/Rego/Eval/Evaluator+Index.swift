extension Evaluator {
    /// Evaluates `some [k,] v in data.<path>` followed directly by equality filters on `v`
    /// (`v.f == x`, `v.f = x` with `x` already known) through an index of the collection, so
    /// only the members that can pass the filters are visited, in their usual order. The filters
    /// still run. Returns false, having done nothing, when the expression is not of that shape.
    func evalIndexedScan(_ body: CBody, _ i: Int, _ f: Frame, _ k: K) throws -> Bool {
        let e = body.exprs[i]
        guard case .someIn(let keyTerm, .local(let member), .ref(.data, let path)) = e.kind,
              !e.negated, e.with.isEmpty, f.slots[member] == nil,
              state.dataOverrides.isEmpty, state.mocks.isEmpty else { return false }
        if let keyTerm {
            guard case .local(let s) = keyTerm, f.slots[s] == nil, s != member else { return false }
        }
        guard i + 1 < body.exprs.count, Evaluator.memberFilter(body.exprs[i + 1], member) != nil,
              let collection = baseCollection(path) else { return false }
        var fields: [[Value]] = []
        var wanted: [Value] = []
        var j = i + 1
        while j < body.exprs.count, let filter = Evaluator.memberFilter(body.exprs[j], member) {
            let (field, other) = filter
            guard isKnown(other, f) else { break }
            var value: Value?
            try evalTerm(other, f) { value = $0 }
            // an undefined operand makes the filter, and so every member, fail
            guard let value else { return true }
            fields.append(field)
            wanted.append(value)
            j += 1
        }
        guard !fields.isEmpty else { return false }
        try tick(e.location)
        let key = ScanIndex.Key(collection: collection.path, fields: fields)
        let index: ScanIndex
        if let cached = policy.shared.index(key) {
            index = cached
        } else {
            index = ScanIndex(key: key, collection: collection.value)
            policy.shared.storeIndex(index)
        }
        guard let members = index.groups[wanted] else { return true }
        for (kv, vv) in members {
            if case .local(let s)? = keyTerm {
                f.slots[s] = kv
            }
            f.slots[member] = vv
            defer {
                f.slots[member] = nil
                if case .local(let s)? = keyTerm { f.slots[s] = nil }
            }
            try evalBody(body, i + 1, f, k)
        }
        return true
    }

    /// `v.a.b == x` or `x = v.a.b` (either side): the constant path inside `v` and the other operand.
    static func memberFilter(_ e: CExpr, _ member: Int) -> ([Value], CTerm)? {
        guard !e.negated, e.with.isEmpty else { return nil }
        let operands: (CTerm, CTerm)
        switch e.kind {
        case .term(.call(.builtin("equal"), let args, _)) where args.count == 2: operands = (args[0], args[1])
        case .unify(let x, let y): operands = (x, y)
        default: return nil
        }
        let (a, b) = operands
        if let p = memberPath(a, member), !mentions(b, member) { return (p, b) }
        if let p = memberPath(b, member), !mentions(a, member) { return (p, a) }
        return nil
    }

    private static func memberPath(_ t: CTerm, _ member: Int) -> [Value]? {
        guard case .ref(.local(let s), let path) = t, s == member, !path.isEmpty else { return nil }
        var out: [Value] = []
        for p in path {
            guard case .value(let v) = p else { return nil }
            out.append(v)
        }
        return out
    }

    private static func mentions(_ t: CTerm, _ slot: Int) -> Bool {
        var slots: Set<Int> = []
        Analysis.slots(t, into: &slots)
        return slots.contains(slot)
    }

    /// True for operands that have at most one value now and cannot fail or raise: constants,
    /// bound variables and `input`, and constant-keyed references into them.
    func isKnown(_ t: CTerm, _ f: Frame) -> Bool {
        switch t {
        case .value, .input: return true
        case .local(let s): return f.slots[s] != nil
        case .ref(let h, let path):
            switch h {
            case .input: break
            case .local(let s): guard f.slots[s] != nil else { return false }
            default: return false
            }
            return path.allSatisfy { p in
                switch p {
                case .value: return true
                case .local(let s): return f.slots[s] != nil
                default: return false
                }
            }
        default: return false
        }
    }

    /// The base-document value at a constant path that no rule defines or extends.
    func baseCollection(_ path: [CTerm]) -> (path: [String], value: Value)? {
        var keys: [String] = []
        keys.reserveCapacity(path.count)
        var node: RuleNode? = policy.root
        var value = policy.data
        for p in path {
            guard case .value(.string(let key)) = p else { return nil }
            if let n = node, !n.rules.isEmpty || n.defaultRule != nil { return nil }
            node = node?.children[key]
            guard let next = Evaluator.index(value, p.constantValue) else { return nil }
            value = next
            keys.append(key)
        }
        if node?.hasRules == true { return nil }
        return (keys, value)
    }
}

private extension CTerm {
    var constantValue: Value {
        if case .value(let v) = self { return v }
        return .null
    }
}
