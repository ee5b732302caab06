/// Turns parsed modules into a rule tree of compiled rules, resolving names and ordering each
/// body so every variable is bound before it is read (OPA's safety reordering).
final class Compiler {
    let builtins: BuiltinRegistry
    let root = RuleNode(path: [], id: 0)
    var nodeCount = 1
    var errors: [RegoError] = []
    /// Per package path: the first names of its rules.
    var packageRules: [[String]: Set<String>] = [:]
    /// Arity of each user function by node path, known before any body is compiled.
    var functionArity: [[String]: Int] = [:]

    // Per-rule state.
    var module: Module?
    var imports: [String: Term] = [:]
    var slots = SlotAllocator()

    init(builtins: BuiltinRegistry) {
        self.builtins = builtins
    }

    func node(_ path: [String]) -> RuleNode {
        var n = root
        for (i, k) in path.enumerated() {
            if let c = n.children[k] {
                n = c
            } else {
                let c = RuleNode(path: Array(path[0...i]), id: nodeCount)
                nodeCount += 1
                n.children[k] = c
                n = c
            }
        }
        return n
    }

    /// The static (leading string) part of a head ref, and the index where the dynamic part starts.
    static func staticPrefix(_ ref: [Term]) -> [String] {
        var out: [String] = []
        for (i, t) in ref.enumerated() {
            if i == 0, let n = t.variableName {
                out.append(n)
                continue
            }
            guard case .scalar(.string(let s)) = t.kind else { break }
            out.append(s)
        }
        return out
    }

    func compile(_ modules: [Module]) {
        for m in modules {
            var a: RuleNode? = root
            root.hasRules = true
            for k in m.packagePath {
                a = a.map { node($0.path + [k]) }
                a?.hasRules = true
            }
            for r in m.rules {
                let prefix = Compiler.staticPrefix(r.ref)
                packageRules[m.packagePath, default: []].insert(prefix[0])
                let p = m.packagePath + prefix
                let n = node(p)
                if r.kind == .function { functionArity[p] = r.args.count }
                var a: RuleNode? = root
                for k in p {
                    a?.hasRules = true
                    a = a?.children[k]
                }
                n.hasRules = true
            }
        }
        for m in modules {
            module = m
            imports = [:]
            for imp in m.imports {
                guard let name = imp.path.dottedName ?? importHead(imp.path) else { continue }
                let alias = imp.alias ?? importAlias(imp.path, name)
                if name == "rego.v1" || name.hasPrefix("future.keywords") { continue }
                if let a = alias { imports[a] = imp.path }
            }
            for r in m.rules {
                do {
                    let prefix = Compiler.staticPrefix(r.ref)
                    let n = node(m.packagePath + prefix)
                    let c = try compileRule(r, staticCount: prefix.count)
                    if r.isDefault {
                        if n.defaultRule != nil {
                            errors.append(RegoError(.type, "multiple default rules \(Compiler.dataPath(n.path)) found", r.location))
                        }
                        n.defaultRule = c
                    } else {
                        n.rules.append(c)
                    }
                } catch let e as RegoError {
                    errors.append(e)
                } catch {
                    errors.append(RegoError(.compile, "\(error)", r.location))
                }
            }
        }
        checkConflicts(root)
        if errors.isEmpty { checkRecursion() }
    }

    static func dataPath(_ path: [String]) -> String {
        "data" + path.map { Compiler.isIdentifier($0) ? ".\($0)" : "[\"\($0)\"]" }.joined()
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || (f.properties.isAlphabetic && f.isASCII) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private func importHead(_ t: Term) -> String? {
        if case .ref(let h, _) = t.kind { return h.variableName }
        return nil
    }

    private func importAlias(_ t: Term, _ name: String) -> String? {
        if case .ref(_, let path) = t.kind, let last = path.last, case .scalar(.string(let s)) = last.kind { return s }
        return nil
    }

    private func checkConflicts(_ n: RuleNode) {
        let kinds = Set(n.rules.map { r -> Int in
            switch r.kind {
            case .complete: return r.tail.isEmpty ? 0 : 3
            case .partialSet: return 1
            case .function: return 2
            }
        })
        if kinds.count > 1 || (kinds.contains(2) && n.defaultRule != nil && n.defaultRule!.kind != .function) {
            errors.append(RegoError(.type, "conflicting rules \(Compiler.dataPath(n.path)) found", n.rules.first?.location))
        }
        if n.isFunction {
            let arities = Set(n.rules.map(\.args.count))
            if arities.count > 1 {
                errors.append(RegoError(.type, "conflicting rules \(Compiler.dataPath(n.path)) found", n.rules.first?.location))
            }
        }
        if kinds.contains(0) || kinds.contains(1) || kinds.contains(2), !n.children.isEmpty,
           n.rules.contains(where: { $0.tail.isEmpty }) {
            errors.append(RegoError(.type, "rule \(Compiler.dataPath(n.path)) conflicts with \(n.children.values.map { Compiler.dataPath($0.path) }.sorted())", n.rules.first?.location))
        }
        for c in n.children.values { checkConflicts(c) }
    }

    // MARK: rules

    func compileRule(_ r: Rule, staticCount: Int) throws -> CRule {
        slots = SlotAllocator()
        return try compileRuleStep(r, staticCount: staticCount)
    }

    private func compileRuleStep(_ r: Rule, staticCount: Int) throws -> CRule {
        let r = Compiler.templateArgsToBody(r)
        let scope = Scope(parent: nil)
        var argSlots: Set<Int> = []
        for a in r.args {
            for n in Compiler.patternNames(a) { declare(n, scope) }
        }
        declareBody(r.body, scope, extra: Array(r.ref.dropFirst(staticCount)) + (r.value.map { [$0] } ?? []))
        let args = try r.args.map { try term($0, scope) }
        for a in args { Analysis.slots(a, into: &argSlots) }
        let body = try compileBody(r.body, scope, bound: argSlots)
        let tail = try r.ref.dropFirst(staticCount).map { try term($0, scope) }
        let value = try r.value.map { try term($0, scope) } ?? .value(.bool(true))
        var headSlots: Set<Int> = []
        var iterated: Set<Int> = []
        for t in tail {
            Analysis.slots(t, into: &headSlots)
            Analysis.refPathSlots(t, into: &iterated)
        }
        Analysis.slots(value, into: &headSlots)
        Analysis.refPathSlots(value, into: &iterated)
        headSlots.subtract(iterated)
        var bound = argSlots
        for e in body.exprs { bound.formUnion(Analysis.outputs(e)) }
        if let v = headSlots.subtracting(bound).sorted().first {
            throw RegoError(.unsafeVar, "var \(slots.names[v] ?? "?") is unsafe", r.location)
        }
        let elses = try r.elseRules.map { e -> CRule in
            var step = e
            step.args = r.args
            return try compileRuleStep(step, staticCount: staticCount)
        }
        let kind: CRule.Kind = r.kind == .function ? .function : (r.kind == .contains ? .partialSet : .complete)
        return CRule(kind: kind, tail: tail, args: args, value: value, body: body, elseRules: elses,
                     frameSize: slots.count, isDefault: r.isDefault, location: r.location)
    }

    /// A template-string operand (`f($"{x}")`) can only be built once the body has bound its
    /// variables: it becomes a fresh operand and an equality the body's safety order places.
    static func templateArgsToBody(_ r: Rule) -> Rule {
        guard r.args.contains(where: { if case .template = $0.kind { return true } else { return false } }) else { return r }
        var out = r
        for (i, a) in r.args.enumerated() {
            guard case .template = a.kind else { continue }
            let v = Term(.variable("__arg\(i)"), a.location)
            out.args[i] = v
            out.body.append(Expr(kind: .unify(v, a), negated: false, with: [], location: a.location))
        }
        return out
    }

    func declare(_ name: String, _ scope: Scope) {
        guard name != "_" else { return }
        scope.declared.insert(name)
        if scope.names[name] == nil { scope.names[name] = slots.next(name) }
    }

    /// Allocates the variables a body uses at its own level before compiling it, so that a nested
    /// comprehension that mentions one of them captures it rather than declaring its own.
    func declareBody(_ body: [Expr], _ scope: Scope, extra: [Term] = []) {
        // Declared variables (`:=`, `some`) come into scope where they are declared, so a
        // comprehension before the declaration does not see them.
        var explicit: Set<String> = []
        for e in body {
            switch e.kind {
            case .someDecl(let ts): for t in ts { if let n = t.variableName { explicit.insert(n) } }
            case .someIn(let k, let v, _):
                for t in [k, v].compactMap({ $0 }) { explicit.formUnion(Compiler.patternNames(t)) }
            case .assign(let l, _): explicit.formUnion(Compiler.patternNames(l))
            default: break
            }
        }
        var names: [String] = []
        for t in extra { Compiler.names(t, into: &names) }
        for e in body {
            Compiler.names(e, into: &names) { self.builtins[$0] != nil || NativeFunction(rawValue: $0) != nil }
        }
        for n in names where n != "_" && !explicit.contains(n) && scope.lookup(n) == nil && !isGlobalName(n) {
            scope.names[n] = slots.next(n)
        }
    }

    func isGlobalName(_ n: String) -> Bool {
        if n == "input" || n == "data" { return true }
        if imports[n] != nil { return true }
        if let m = module, packageRules[m.packagePath]?.contains(n) == true { return true }
        return false
    }

    /// Variables in pattern position of a term (`x`, `[x, y]`, `{"k": x}`).
    static func patternNames(_ t: Term) -> [String] {
        switch t.kind {
        case .variable(let n): return [n]
        case .array(let a): return a.flatMap(patternNames)
        case .object(let o): return o.flatMap { patternNames($0.1) }
        default: return []
        }
    }

    /// Variable names used at one body's level (not inside nested bodies).
    static func names(_ t: Term, into out: inout [String]) {
        switch t.kind {
        case .scalar: break
        case .variable(let n): out.append(n)
        case .ref(let h, let p):
            names(h, into: &out)
            for x in p { names(x, into: &out) }
        case .array(let a), .set(let a): for x in a { names(x, into: &out) }
        case .object(let o): for (k, v) in o { names(k, into: &out); names(v, into: &out) }
        case .call(_, let args): for x in args { names(x, into: &out) }
        case .arrayComprehension, .setComprehension, .objectComprehension: break
        case .template(let parts):
            for case .expression(let e) in parts { names(e, into: &out) }
        }
    }

    static func names(_ e: Expr, into out: inout [String], isFunction: (String) -> Bool = { _ in false }) {
        switch e.kind {
        case .term(let t): names(t, into: &out)
        case .unify(let a, let b), .assign(let a, let b): names(a, into: &out); names(b, into: &out)
        case .someDecl: break
        case .someIn(let k, let v, let c):
            if let k { names(k, into: &out) }
            names(v, into: &out)
            names(c, into: &out)
        case .every(_, _, let d, _): names(d, into: &out)
        }
        for w in e.with {
            // `with f as count`: a function name, not a variable
            if let d = w.value.dottedName, d.contains(".") || isFunction(d) { continue }
            names(w.value, into: &out)
        }
    }
}
