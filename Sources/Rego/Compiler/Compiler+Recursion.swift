/// OPA's compile-time recursion check: a rule (or function) that can reach itself through the
/// rules and functions it references is rejected before anything is evaluated.
extension Compiler {
    /// Appends one `rego_recursion_error` per rule that lies on a cycle, naming the cycle.
    func checkRecursion() {
        var ruleNodes: [RuleNode] = []
        collectRuleNodes(root, into: &ruleNodes)
        var edges: [Int: Set<Int>] = [:]
        var byID: [Int: RuleNode] = [:]
        var ruleDeps: [(RuleNode, CRule, Set<Int>)] = []
        for n in ruleNodes {
            byID[n.id] = n
            for r in n.rules + (n.defaultRule.map { [$0] } ?? []) {
                var deps: Set<Int> = []
                dependencies(r, into: &deps)
                edges[n.id, default: []].formUnion(deps)
                ruleDeps.append((n, r, deps))
            }
        }
        for (n, r, deps) in ruleDeps {
            guard let cycle = Compiler.cycle(from: n.id, through: deps, edges: edges) else { continue }
            let names = cycle.compactMap { byID[$0].map { Compiler.dataPath($0.path) } }
            let me = Compiler.dataPath(n.path)
            errors.append(RegoError(.recursion, "rule \(me) is recursive: \(([me] + names).joined(separator: " -> "))", r.location))
        }
    }

    private func collectRuleNodes(_ n: RuleNode, into out: inout [RuleNode]) {
        if !n.rules.isEmpty || n.defaultRule != nil { out.append(n) }
        for k in n.children.keys.sorted() { collectRuleNodes(n.children[k]!, into: &out) }
    }

    /// The shortest path from `start`'s direct dependencies back to `start` (ending with it).
    static func cycle(from start: Int, through deps: Set<Int>, edges: [Int: Set<Int>]) -> [Int]? {
        var parent: [Int: Int] = [:]
        var queue: [Int] = []
        for d in deps.sorted() {
            if d == start { return [start] }
            parent[d] = -1
            queue.append(d)
        }
        var i = 0
        while i < queue.count {
            let x = queue[i]
            i += 1
            for y in (edges[x] ?? []).sorted() {
                if y == start {
                    var path = [start, x]
                    var p = parent[x] ?? -1
                    while p != -1 {
                        path.append(p)
                        p = parent[p] ?? -1
                    }
                    return path.reversed()
                }
                if parent[y] == nil {
                    parent[y] = x
                    queue.append(y)
                }
            }
        }
        return nil
    }

    /// The rule nodes one compiled rule (with its `else` steps) may evaluate.
    func dependencies(_ r: CRule, into out: inout Set<Int>) {
        for t in r.tail + r.args + [r.value] { termDependencies(t, into: &out) }
        bodyDependencies(r.body, into: &out)
        for e in r.elseRules { dependencies(e, into: &out) }
    }

    private func bodyDependencies(_ b: CBody, into out: inout Set<Int>) {
        for e in b.exprs {
            switch e.kind {
            case .term(let t): termDependencies(t, into: &out)
            case .unify(let a, let b):
                termDependencies(a, into: &out)
                termDependencies(b, into: &out)
            case .someIn(let k, let v, let c):
                for t in [k, v, c].compactMap({ $0 }) { termDependencies(t, into: &out) }
            case .every(let k, let v, let d, let body):
                for t in [k, v, d].compactMap({ $0 }) { termDependencies(t, into: &out) }
                bodyDependencies(body, into: &out)
            case .declaration: break
            }
            // A `with` target is replaced, not read; its value is read.
            for w in e.with { termDependencies(w.value, into: &out) }
        }
    }

    private func termDependencies(_ t: CTerm, into out: inout Set<Int>) {
        switch t {
        case .value, .input, .local: break
        case .data: reach(root, [], 0, into: &out)
        case .ref(let h, let p):
            if case .data = h {
                reach(root, p, 0, into: &out)
            } else {
                termDependencies(h, into: &out)
            }
            for x in p { termDependencies(x, into: &out) }
        case .array(let a), .set(let a): for x in a { termDependencies(x, into: &out) }
        case .object(let o):
            for (k, v) in o {
                termDependencies(k, into: &out)
                termDependencies(v, into: &out)
            }
        case .arrayComprehension(let h, let b), .setComprehension(let h, let b):
            termDependencies(h, into: &out)
            bodyDependencies(b, into: &out)
        case .objectComprehension(let k, let v, let b):
            termDependencies(k, into: &out)
            termDependencies(v, into: &out)
            bodyDependencies(b, into: &out)
        case .call(let target, let args, _):
            if case .function(let path) = target, let n = root.descendant(path) { out.insert(n.id) }
            for a in args { termDependencies(a, into: &out) }
        case .functionRef(let target):
            if case .function(let path) = target, let n = root.descendant(path) { out.insert(n.id) }
        case .template(let parts):
            for case .expression(let e) in parts { termDependencies(e, into: &out) }
        }
    }

    /// Rule nodes a `data` reference may reach: rules on its path (a value the reference
    /// descends into) and, where the path ends, every rule below. A variable key matches any child.
    private func reach(_ n: RuleNode, _ path: [CTerm], _ i: Int, into out: inout Set<Int>) {
        if !n.rules.isEmpty || n.defaultRule != nil { out.insert(n.id) }
        guard i < path.count else {
            for c in n.children.values where c.hasRules { reach(c, [], 0, into: &out) }
            return
        }
        switch path[i] {
        case .value(.string(let s)):
            if let c = n.children[s] { reach(c, path, i + 1, into: &out) }
        case .value:
            break
        default:
            for c in n.children.values where c.hasRules { reach(c, path, i + 1, into: &out) }
        }
    }
}
