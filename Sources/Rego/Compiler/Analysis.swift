/// Variable analysis of compiled terms and OPA's safety reordering of bodies.
enum Analysis {
    /// Every slot a term mentions that is not local to a nested body.
    static func slots(_ t: CTerm, into out: inout Set<Int>) {
        switch t {
        case .value, .input, .data, .functionRef: break
        case .local(let s): out.insert(s)
        case .ref(let h, let p):
            slots(h, into: &out)
            for x in p { slots(x, into: &out) }
        case .array(let a), .set(let a): for x in a { slots(x, into: &out) }
        case .object(let o): for (k, v) in o { slots(k, into: &out); slots(v, into: &out) }
        case .call(_, let a, _): for x in a { slots(x, into: &out) }
        case .arrayComprehension(let h, let b), .setComprehension(let h, let b):
            var inner: Set<Int> = []
            slots(h, into: &inner)
            bodySlots(b, into: &inner)
            out.formUnion(inner.subtracting(b.locals))
        case .objectComprehension(let k, let v, let b):
            var inner: Set<Int> = []
            slots(k, into: &inner)
            slots(v, into: &inner)
            bodySlots(b, into: &inner)
            out.formUnion(inner.subtracting(b.locals))
        case .template(let parts):
            for case .expression(let e) in parts { slots(e, into: &out) }
        }
    }

    static func bodySlots(_ b: CBody, into out: inout Set<Int>) {
        for e in b.exprs { exprSlots(e, into: &out) }
    }

    static func exprSlots(_ e: CExpr, into out: inout Set<Int>) {
        switch e.kind {
        case .term(let t): slots(t, into: &out)
        case .unify(let a, let b): slots(a, into: &out); slots(b, into: &out)
        case .someIn(let k, let v, let c):
            if let k { slots(k, into: &out) }
            slots(v, into: &out)
            slots(c, into: &out)
        case .every(let k, let v, let d, let b):
            slots(d, into: &out)
            var inner: Set<Int> = []
            bodySlots(b, into: &inner)
            if let k { slots(k, into: &inner) }
            slots(v, into: &inner)
            var kv: Set<Int> = []
            if let k { slots(k, into: &kv) }
            slots(v, into: &kv)
            out.formUnion(inner.subtracting(b.locals).subtracting(kv))
        case .declaration: break
        }
        for w in e.with { slots(w.value, into: &out) }
    }

    /// Slots a term can bind by unification: variables and the elements of array/object patterns.
    static func patternSlots(_ t: CTerm, into out: inout Set<Int>) {
        switch t {
        case .local(let s): out.insert(s)
        case .array(let a): for x in a { patternSlots(x, into: &out) }
        case .object(let o): for (_, v) in o { patternSlots(v, into: &out) }
        default: break
        }
    }

    /// Slots a term can bind by iterating references (`x[i]` binds `i`).
    static func refPathSlots(_ t: CTerm, into out: inout Set<Int>) {
        switch t {
        case .ref(let h, let p):
            refPathSlots(h, into: &out)
            for x in p {
                switch x {
                case .local(let s): out.insert(s)
                case .array, .object: patternSlots(x, into: &out)
                default: refPathSlots(x, into: &out)
                }
            }
        case .array(let a), .set(let a): for x in a { refPathSlots(x, into: &out) }
        case .object(let o): for (k, v) in o { refPathSlots(k, into: &out); refPathSlots(v, into: &out) }
        case .call(_, let a, _): for x in a { refPathSlots(x, into: &out) }
        default: break
        }
    }

    static func outputs(_ e: CExpr) -> Set<Int> {
        if e.negated { return [] }
        var out: Set<Int> = []
        switch e.kind {
        case .term(let t): refPathSlots(t, into: &out)
        case .unify(let a, let b):
            patternSlots(a, into: &out)
            patternSlots(b, into: &out)
            refPathSlots(a, into: &out)
            refPathSlots(b, into: &out)
        case .someIn(let k, let v, let c):
            if let k { patternSlots(k, into: &out) }
            patternSlots(v, into: &out)
            refPathSlots(c, into: &out)
        case .every, .declaration: break
        }
        return out
    }

    static func canUnify(_ a: CTerm, _ b: CTerm, _ bound: Set<Int>) -> Bool {
        var pa: Set<Int> = [], pb: Set<Int> = []
        patternSlots(a, into: &pa)
        patternSlots(b, into: &pb)
        if pa.isSubset(of: bound) || pb.isSubset(of: bound) { return true }
        switch (a, b) {
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { canUnify($0, $1, bound) }
        case (.object, .object): return true
        default: return false
        }
    }

    /// Orders a body so each expression's inputs are bound before it runs; throws OPA's
    /// unsafe-variable error when no order exists.
    static func order(_ exprs: [CExpr], bound initial: Set<Int>, names: [Int: String]) throws -> [CExpr] {
        var allOutputs = initial
        for e in exprs { allOutputs.formUnion(outputs(e)) }
        var needs: [Set<Int>] = []
        for e in exprs {
            var s: Set<Int> = []
            exprSlots(e, into: &s)
            if e.negated {
                needs.append(s.intersection(allOutputs))
            } else {
                needs.append(s.subtracting(outputs(e)))
            }
        }
        var bound = initial
        var remaining = Array(exprs.indices)
        var result: [CExpr] = []
        while !remaining.isEmpty {
            var picked: Int?
            for (j, i) in remaining.enumerated() where needs[i].isSubset(of: bound) {
                if case .unify(let a, let b) = exprs[i].kind, !exprs[i].negated, !canUnify(a, b, bound) { continue }
                picked = j
                break
            }
            guard let j = picked else {
                let i = remaining[0]
                var missing = needs[i].subtracting(bound)
                if missing.isEmpty, case .unify(let a, let b) = exprs[i].kind {
                    patternSlots(a, into: &missing)
                    patternSlots(b, into: &missing)
                    missing.subtract(bound)
                }
                let vars = missing.compactMap { names[$0] }.map { $0.hasPrefix("_") ? "_" : $0 }.sorted()
                throw RegoError(.unsafeVar, "var \(vars.first ?? "_") is unsafe", exprs[i].location)
            }
            let i = remaining.remove(at: j)
            result.append(exprs[i])
            bound.formUnion(outputs(exprs[i]))
        }
        return result
    }
}
