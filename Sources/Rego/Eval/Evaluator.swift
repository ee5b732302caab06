import Foundation

/// Top-down evaluation with unification and backtracking. Each solution of a body is delivered
/// to a continuation; bindings are undone when the continuation returns.
final class Evaluator {
    typealias K = () throws -> Void
    typealias VK = (Value) throws -> Void

    let policy: Policy
    let builtins: BuiltinRegistry
    let context: BuiltinContext
    let options: EvalOptions
    var state: EvalState
    var inProgress: Set<Int> = []
    var steps = 0
    var depth = 0
    let deadline: UInt64
    /// Frames of finished rule evaluations, all slots unbound again, for the next ones.
    var spareFrames: [Frame] = []

    init(policy: Policy, input: Value?, options: EvalOptions) {
        self.policy = policy
        builtins = policy.builtins
        self.options = options
        state = EvalState(input: input)
        deadline = options.timeoutNanoseconds > 0 ? DispatchTime.now().uptimeNanoseconds &+ options.timeoutNanoseconds : UInt64.max
        // a disabled clock would throw on every evaluation: skip asking it
        let now = options.hostServices is DisabledHostServices ? 0 : (try? options.hostServices.nowNanoseconds()) ?? 0
        context = BuiltinContext(strictBuiltinErrors: options.strictBuiltinErrors, hostServices: options.hostServices,
                                 evaluationStartNanoseconds: now,
                                 printSink: options.printSink)
    }

    @inline(__always)
    func tick(_ loc: SourceLocation) throws {
        steps &+= 1
        if steps & 1023 == 0, deadline != UInt64.max, DispatchTime.now().uptimeNanoseconds > deadline {
            throw RegoError(.evalCancel, "evaluation time limit exceeded", loc)
        }
    }

    /// A frame with at least `size` unbound slots; rule evaluations are many and short.
    func takeFrame(_ size: Int) -> Frame {
        guard let f = spareFrames.popLast() else { return Frame(size: size) }
        if f.slots.count < size { f.slots.append(contentsOf: repeatElement(nil, count: size - f.slots.count)) }
        return f
    }

    /// Returns a frame whose evaluation is over. Bindings are undone as evaluation unwinds,
    /// errors included, so its slots are all unbound.
    func recycle(_ f: Frame) {
        spareFrames.append(f)
    }

    // MARK: bodies and expressions

    func evalBody(_ body: CBody, _ i: Int, _ f: Frame, _ k: K) throws {
        if i == body.exprs.count { return try k() }
        if case .someIn = body.exprs[i].kind, try evalIndexedScan(body, i, f, k) { return }
        try evalExpr(body.exprs[i], f) { try self.evalBody(body, i + 1, f, k) }
    }

    func evalExpr(_ e: CExpr, _ f: Frame, _ k: K) throws {
        try tick(e.location)
        if let t = options.tracer, t.full { return try evalExprTraced(e, f, t, k) }
        try evalExprUntraced(e, f, k)
    }

    func evalExprUntraced(_ e: CExpr, _ f: Frame, _ k: K) throws {
        if !e.with.isEmpty { return try evalWith(e, f, k) }
        if e.negated {
            if try !succeeds(e, f) { try k() }
            return
        }
        try evalExprKind(e, f, k)
    }

    /// True when the expression (ignoring its negation) has at least one solution.
    func succeeds(_ e: CExpr, _ f: Frame) throws -> Bool {
        let halt = Halt()
        do {
            try evalExprKind(e, f) { throw halt }
        } catch let h as Halt where h === halt {
            return true
        }
        return false
    }

    func evalExprKind(_ e: CExpr, _ f: Frame, _ k: K) throws {
        switch e.kind {
        case .term(let t):
            try evalTerm(t, f) { v in
                if case .bool(false) = v { return }
                try k()
            }
        case .unify(let a, let b):
            try unify(a, b, f, k)
        case .someIn(let key, let value, let coll):
            try evalTerm(coll, f) { c in
                try self.iterate(c) { kv, vv in
                    if let key {
                        try self.bind(key, kv, f) { try self.bind(value, vv, f, k) }
                    } else {
                        try self.bind(value, vv, f, k)
                    }
                }
            }
        case .every(let key, let value, let domain, let body):
            try evalTerm(domain, f) { d in
                switch d {
                case .array, .object, .set: break
                default: return
                }
                var all = true
                try self.iterate(d) { kv, vv in
                    guard all else { return }
                    let halt = Halt()
                    do {
                        try self.bindOptional(key, kv, f) {
                            try self.bind(value, vv, f) { try self.evalBody(body, 0, f) { throw halt } }
                        }
                        all = false
                    } catch let h as Halt where h === halt {}
                }
                if all { try k() }
            }
        case .declaration:
            try k()
        }
    }

    func bindOptional(_ t: CTerm?, _ v: Value, _ f: Frame, _ k: K) throws {
        if let t { try bind(t, v, f, k) } else { try k() }
    }

    /// Calls `body` with each key/value of a collection (sets: the member twice).
    func iterate(_ c: Value, _ body: (Value, Value) throws -> Void) throws {
        switch c {
        case .array(let a): for (i, x) in a.enumerated() { try body(.int(i), x) }
        case .object(let o): for (k, v) in o { try body(k, v) }
        case .set(let s): for x in s { try body(x, x) }
        default: break
        }
    }

    // MARK: unification

    /// True when the term has a variable in pattern position that is still unbound.
    func isPattern(_ t: CTerm, _ f: Frame) -> Bool {
        switch t {
        case .local(let s): return f.slots[s] == nil
        case .array(let a): return a.contains { isPattern($0, f) }
        case .object(let o): return o.contains { isPattern($0.1, f) }
        default: return false
        }
    }

    func unify(_ a: CTerm, _ b: CTerm, _ f: Frame, _ k: K) throws {
        if isPattern(a, f) {
            if isPattern(b, f) {
                switch (a, b) {
                case (.array(let x), .array(let y)) where x.count == y.count:
                    return try unifyPairs(x, y, 0, f, k)
                case (.object(let x), .object(let y)) where x.count == y.count:
                    return try evalTerms(x.map(\.0), f) { xk in
                        try self.evalTerms(y.map(\.0), f) { yk in
                            var pairs: [(CTerm, CTerm)] = []
                            for (i, key) in xk.enumerated() {
                                guard let j = yk.firstIndex(of: key) else { return }
                                pairs.append((x[i].1, y[j].1))
                            }
                            try self.unifyPairs(pairs.map(\.0), pairs.map(\.1), 0, f, k)
                        }
                    }
                default:
                    return
                }
            }
            return try evalTerm(b, f) { v in try self.bind(a, v, f, k) }
        }
        try evalTerm(a, f) { v in try self.bind(b, v, f, k) }
    }

    func unifyPairs(_ x: [CTerm], _ y: [CTerm], _ i: Int, _ f: Frame, _ k: K) throws {
        if i == x.count { return try k() }
        try unify(x[i], y[i], f) { try self.unifyPairs(x, y, i + 1, f, k) }
    }

    /// Unifies a term with a value: binds unbound variables, compares everything else.
    func bind(_ t: CTerm, _ v: Value, _ f: Frame, _ k: K) throws {
        switch t {
        case .local(let s):
            if let cur = f.slots[s] {
                if cur == v { try k() }
                return
            }
            f.slots[s] = v
            defer { f.slots[s] = nil }
            try k()
        case .value(let c):
            if c == v { try k() }
        case .array(let items):
            guard case .array(let vs) = v, vs.count == items.count else { return }
            try bindSequence(items, vs, 0, f, k)
        case .object(let pairs):
            guard case .object(let o) = v, o.count == pairs.count else { return }
            try evalTerms(pairs.map(\.0), f) { keys in
                var vals: [Value] = []
                for key in keys {
                    guard let x = o[key] else { return }
                    vals.append(x)
                }
                try self.bindSequence(pairs.map(\.1), vals, 0, f, k)
            }
        default:
            try evalTerm(t, f) { x in if x == v { try k() } }
        }
    }

    func bindSequence(_ ts: [CTerm], _ vs: [Value], _ i: Int, _ f: Frame, _ k: K) throws {
        if i == ts.count { return try k() }
        try bind(ts[i], vs[i], f) { try self.bindSequence(ts, vs, i + 1, f, k) }
    }
}
