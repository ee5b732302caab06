/// Which rule-tree nodes give the same value on every evaluation of one policy: their rules
/// (and everything they reach) read neither `input` nor a nondeterministic builtin, print
/// nothing and use no `with`. Their values depend only on the policy's base document, so one
/// evaluation may compute them for all others (see `SharedResults`).
struct InputIndependence: Sendable {
    /// Ids of the nodes whose whole subtree is input-independent.
    let nodes: Set<Int>

    init(root: RuleNode, builtins: BuiltinRegistry) {
        var walk = Walk(root: root, builtins: builtins)
        _ = walk.subtree(root)
        nodes = Set(walk.done.compactMap { $0.value ? $0.key : nil })
    }

    func contains(_ node: RuleNode) -> Bool { nodes.contains(node.id) }

    private struct Walk {
        let root: RuleNode
        let builtins: BuiltinRegistry
        var done: [Int: Bool] = [:]
        var visiting: Set<Int> = []

        /// A cycle counts as dependent: recursion is an error the evaluator reports each time.
        mutating func subtree(_ n: RuleNode) -> Bool {
            if let d = done[n.id] { return d }
            guard visiting.insert(n.id).inserted else { return false }
            var ok = true
            for r in n.rules where ok { ok = rule(r) }
            if ok, let d = n.defaultRule { ok = rule(d) }
            // every child is decided, so that each gets its own answer
            for c in n.children.values { if !subtree(c) { ok = false } }
            visiting.remove(n.id)
            done[n.id] = ok
            return ok
        }

        mutating func rule(_ r: CRule) -> Bool {
            if !r.tail.allSatisfy({ term($0) }) || !r.args.allSatisfy({ term($0) }) { return false }
            if !term(r.value) || !body(r.body) { return false }
            return r.elseRules.allSatisfy { rule($0) }
        }

        mutating func body(_ b: CBody) -> Bool {
            b.exprs.allSatisfy { expr($0) }
        }

        mutating func expr(_ e: CExpr) -> Bool {
            if !e.with.isEmpty { return false }
            switch e.kind {
            case .term(let t): return term(t)
            case .unify(let a, let b): return term(a) && term(b)
            case .someIn(let k, let v, let c): return (k.map { term($0) } ?? true) && term(v) && term(c)
            case .every(let k, let v, let d, let b): return (k.map { term($0) } ?? true) && term(v) && term(d) && body(b)
            case .declaration: return true
            }
        }

        mutating func term(_ t: CTerm) -> Bool {
            switch t {
            case .value, .local: return true
            case .input, .data, .functionRef: return false
            case .ref(.data, let path): return dataRef(path)
            case .ref(let h, let p): return term(h) && p.allSatisfy { term($0) }
            case .array(let a), .set(let a): return a.allSatisfy { term($0) }
            case .object(let o): return o.allSatisfy { term($0.0) && term($0.1) }
            case .arrayComprehension(let h, let b), .setComprehension(let h, let b): return term(h) && body(b)
            case .objectComprehension(let k, let v, let b): return term(k) && term(v) && body(b)
            case .template(let parts):
                return parts.allSatisfy { if case .expression(let e) = $0 { return term(e) } else { return true } }
            case .call(let target, let args, _):
                guard args.allSatisfy({ term($0) }) else { return false }
                switch target {
                case .builtin(let name): return builtins[name].map { !$0.nondeterministic } ?? false
                case .function(let path): return node(path).map { subtree($0) } ?? false
                case .native(let n): return n != .print
                }
            }
        }

        /// A reference below `data`: the rules it can reach must be independent. A dynamic key
        /// can reach any child of the node where it appears.
        mutating func dataRef(_ path: [CTerm]) -> Bool {
            var n = root
            for (i, p) in path.enumerated() {
                guard case .value(.string(let key)) = p else {
                    return subtree(n) && path[i...].allSatisfy { term($0) }
                }
                guard let c = n.children[key] else {
                    // below the rule tree: base data, or rules defined at `n` itself
                    return (n.rules.isEmpty && n.defaultRule == nil || subtree(n)) && path[i...].allSatisfy { term($0) }
                }
                n = c
            }
            return subtree(n)
        }

        func node(_ path: [String]) -> RuleNode? { root.descendant(path) }
    }
}
