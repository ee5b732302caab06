extension Compiler {
    /// Resolves a variable name: local variable, `input`/`data`, import alias, rule of the package.
    func resolve(_ name: String, _ scope: Scope, _ loc: SourceLocation) throws -> CTerm {
        if name == "_" {
            let s = slots.next("_")
            scope.names["_\(s)"] = s
            return .local(s)
        }
        if let s = scope.lookup(name) { return .local(s) }
        if name == "input" { return .input }
        if name == "data" { return .data }
        if let imp = imports[name] {
            return try term(imp, Scope(parent: nil))
        }
        if let m = module, packageRules[m.packagePath]?.contains(name) == true {
            return .ref(.data, (m.packagePath + [name]).map { .value(.string($0)) })
        }
        let s = slots.next(name)
        scope.names[name] = s
        return .local(s)
    }

    func term(_ t: Term, _ scope: Scope) throws -> CTerm {
        switch t.kind {
        case .scalar(let v): return .value(v)
        case .variable(let n): return try resolve(n, scope, t.location)
        case .ref(let head, let path):
            let h = try term(head, scope)
            let p = try path.map { try term($0, scope) }
            if case .ref(let hh, let hp) = h { return .ref(hh, hp + p) }
            return .ref(h, p)
        case .array(let a):
            let items = try a.map { try term($0, scope) }
            if items.allSatisfy(\.isConstant) { return .value(.array(items.map(Compiler.constant))) }
            return .array(items)
        case .set(let a):
            let items = try a.map { try term($0, scope) }
            if items.allSatisfy(\.isConstant) { return .value(.set(Set(items.map(Compiler.constant)))) }
            return .set(items)
        case .object(let o):
            let pairs = try o.map { (try term($0.0, scope), try term($0.1, scope)) }
            if pairs.allSatisfy({ $0.0.isConstant && $0.1.isConstant }) {
                var d: [Value: Value] = [:]
                for (k, v) in pairs { d[Compiler.constant(k)] = Compiler.constant(v) }
                return .value(.object(d))
            }
            return .object(pairs)
        case .arrayComprehension(let head, let body):
            let inner = Scope(parent: scope)
            declareBody(body, inner, extra: [head])
            let b = try compileBody(body, inner, bound: [])
            return .arrayComprehension(try term(head, inner), b)
        case .setComprehension(let head, let body):
            let inner = Scope(parent: scope)
            declareBody(body, inner, extra: [head])
            let b = try compileBody(body, inner, bound: [])
            return .setComprehension(try term(head, inner), b)
        case .objectComprehension(let k, let v, let body):
            let inner = Scope(parent: scope)
            declareBody(body, inner, extra: [k, v])
            let b = try compileBody(body, inner, bound: [])
            return .objectComprehension(try term(k, inner), try term(v, inner), b)
        case .call(let name, let args):
            let (target, _) = try callTarget(name, t.location)
            let cargs = try args.map { try term($0, scope) }
            try checkCall(name, target, cargs, t.location)
            return .call(target, cargs, t.location)
        case .template(let parts):
            return .template(try parts.map { p in
                switch p {
                case .text(let s): return .text(s)
                case .expression(let e):
                    guard case .term(let inner) = e.kind, !e.negated else {
                        throw RegoError(.parse, "template expression must be a term", e.location)
                    }
                    if !e.with.isEmpty { return .expression(try templateWith(inner, e, scope)) }
                    return .expression(try term(inner, scope))
                }
            })
        }
    }

    /// `{x with input as y}` in a template: the first value of `[v | v = x with input as y]`,
    /// so the part is undefined (`<undefined>`) exactly when the expression is.
    private func templateWith(_ t: Term, _ e: Expr, _ scope: Scope) throws -> CTerm {
        let inner = Scope(parent: scope)
        let v = Term(.variable("__template\(slots.count)"), e.location)
        let body = [Expr(kind: .unify(v, t), negated: false, with: e.with, location: e.location)]
        declareBody(body, inner, extra: [v])
        let b = try compileBody(body, inner, bound: [])
        return .ref(.arrayComprehension(try term(v, inner), b), [.value(.int(0))])
    }

    static func constant(_ t: CTerm) -> Value {
        if case .value(let v) = t { return v }
        return .null
    }

    /// Resolves a called name to its target and declared arity (`nil`: any number of operands).
    func callTarget(_ name: String, _ loc: SourceLocation) throws -> (CallTarget, Int?) {
        var parts = name.split(separator: ".").map(String.init)
        if let imp = imports[parts[0]], let d = imp.dottedName {
            parts = d.split(separator: ".").map(String.init) + parts.dropFirst()
        } else if parts[0] != "data", let m = module, packageRules[m.packagePath]?.contains(parts[0]) == true {
            parts = ["data"] + m.packagePath + parts
        }
        if parts[0] == "data" {
            let path = Array(parts.dropFirst())
            if let n = root.descendant(path), n.hasRules {
                return (.function(path), functionArity[path] ?? n.rules.first?.args.count)
            }
            throw RegoError(.type, "undefined function \(parts.joined(separator: "."))", loc)
        }
        let full = parts.joined(separator: ".")
        if let native = NativeFunction(rawValue: full) {
            switch native {
            case .print: return (.native(native), nil)
            case .walk, .trace: return (.native(native), 1)
            case .member2: return (.native(native), 2)
            case .member3: return (.native(native), 3)
            }
        }
        if let b = builtins[full] { return (.builtin(full), b.parameters.count) }
        throw RegoError(.type, "undefined function \(full)", loc)
    }

    func withTarget(_ t: Term, _ scope: Scope) throws -> WithTarget {
        guard let name = t.dottedName ?? refPath(t) else {
            throw RegoError(.type, "with keyword target must reference existing input, data, or a function", t.location)
        }
        var parts = name.split(separator: ".").map(String.init)
        if parts[0] == "input" { return .input(Array(parts.dropFirst())) }
        if parts[0] == "data" {
            let path = Array(parts.dropFirst())
            if functionArity[path] != nil || root.descendant(path)?.isFunction == true {
                return .function("data." + path.joined(separator: "."))
            }
            return .data(path)
        }
        if let imp = imports[parts[0]], let d = imp.dottedName {
            parts = d.split(separator: ".").map(String.init) + parts.dropFirst()
            return try withTarget(Term(.variable(parts.joined(separator: ".")), t.location), scope)
        }
        let (target, _) = try callTarget(name, t.location)
        return .function(target.mockKey)
    }

    /// A name that denotes a function (not a local variable), when it does.
    private func resolveCallable(_ name: String, _ scope: Scope) throws -> Bool {
        let first = String(name.split(separator: ".")[0])
        if scope.lookup(first) != nil && builtins[name] == nil && NativeFunction(rawValue: name) == nil {
            throw RegoError(.type, "not a function", nil)
        }
        if first == "input" { throw RegoError(.type, "not a function", nil) }
        if first == "data" || imports[first] != nil { return true }
        if let m = module, packageRules[m.packagePath]?.contains(first) == true {
            if functionArity[m.packagePath + name.split(separator: ".").map(String.init)] != nil { return true }
            throw RegoError(.type, "not a function", nil)
        }
        return true
    }

    private func refPath(_ t: Term) -> String? {
        guard case .ref(let h, let p) = t.kind, var s = h.variableName else { return nil }
        for x in p {
            guard case .scalar(.string(let k)) = x.kind else { return nil }
            s += "." + k
        }
        return s
    }

    // MARK: bodies

    func compileBody(_ body: [Expr], _ scope: Scope, bound: Set<Int>) throws -> CBody {
        var out: [CExpr] = []
        for (i, e) in body.enumerated() {
            var c = try expr(e, scope)
            c.sourceIndex = i
            out.append(c)
        }
        let locals = Set(scope.names.values)
        return CBody(exprs: try Analysis.order(out, bound: bound.union(scope.enclosingSlots), names: slots.names), locals: locals)
    }

    func expr(_ e: Expr, _ scope: Scope) throws -> CExpr {
        var kind: CExpr.Kind
        switch e.kind {
        case .term(let t):
            if case .call(let name, let args) = t.kind {
                let (target, arity) = try callTarget(name, t.location)
                let cargs = try args.map { try term($0, scope) }
                if let a = arity, cargs.count == a + 1 {
                    try checkCall(name, target, Array(cargs.prefix(a)), t.location)
                    kind = .unify(cargs[a], .call(target, Array(cargs.prefix(a)), t.location))
                } else {
                    if let a = arity, cargs.count != a {
                        throw RegoError(.type, "\(name): arity mismatch\n\thave: \(cargs.count) operands\n\twant: \(a) operands", t.location)
                    }
                    try checkCall(name, target, cargs, t.location)
                    kind = .term(.call(target, cargs, t.location))
                }
            } else {
                kind = .term(try term(t, scope))
            }
        case .unify(let a, let b):
            kind = .unify(try term(a, scope), try term(b, scope))
        case .assign(let a, let b):
            let rhs = try term(b, scope)
            for n in Compiler.patternNames(a) {
                if scope.declared.contains(n) {
                    throw RegoError(.compile, "var \(n) assigned above", e.location)
                }
                declare(n, scope)
            }
            kind = .unify(try term(a, scope), rhs)
        case .someDecl(let ts):
            for t in ts { if let n = t.variableName { declare(n, scope) } }
            kind = .declaration
        case .someIn(let k, let v, let c):
            let coll = try term(c, scope)
            for t in [k, v].compactMap({ $0 }) { for n in Compiler.patternNames(t) { declare(n, scope) } }
            kind = .someIn(key: try k.map { try term($0, scope) }, value: try term(v, scope), collection: coll)
        case .every(let k, let v, let d, let body):
            let dom = try term(d, scope)
            let inner = Scope(parent: scope)
            if let k { for n in Compiler.patternNames(k) { declare(n, inner) } }
            for n in Compiler.patternNames(v) { declare(n, inner) }
            declareBody(body, inner)
            let ck = try k.map { try term($0, inner) }
            let cv = try term(v, inner)
            var b: Set<Int> = []
            if let ck { Analysis.slots(ck, into: &b) }
            Analysis.slots(cv, into: &b)
            let cb = try compileBody(body, inner, bound: b)
            kind = .every(key: ck, value: cv, domain: dom, body: cb)
        }
        let withs = try e.with.map { w -> (target: WithTarget, value: CTerm) in
            let target = try withTarget(w.target, scope)
            if case .function = target, let name = w.value.dottedName, (try? resolveCallable(name, scope)) != nil,
               let callee = try? callTarget(name, w.value.location) {
                return (target, .functionRef(callee.0))
            }
            return (target, try term(w.value, scope))
        }
        return CExpr(kind: kind, negated: e.negated, with: withs, location: e.location)
    }

    /// Compiles a query (no package): returns the body and the user-visible variables.
    func compileQuery(_ body: [Expr]) throws -> (CBody, [(String, Int)], Int) {
        module = nil
        imports = [:]
        slots = SlotAllocator()
        let scope = Scope(parent: nil)
        declareBody(body, scope)
        let b = try compileBody(body, scope, bound: [])
        let vars = scope.names.filter { !$0.key.hasPrefix("_") && $0.key != "_" }.map { ($0.key, $0.value) }.sorted { $0.1 < $1.1 }
        return (b, vars, slots.count)
    }
}
