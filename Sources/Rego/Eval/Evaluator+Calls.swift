extension Evaluator {
    /// Calls a builtin, user function or evaluator-level function, honouring `with` mocks.
    func call(_ target: CallTarget, _ args: [Value], _ loc: SourceLocation, _ k: VK) throws {
        if !state.mocks.isEmpty, let m = state.mocks[target.mockKey] {
            switch m {
            case .value(let v): return try k(v)
            case .function(let replacement):
                let saved = state.mocks
                // a replacement runs with no mocks at all: a mock never calls another mock (as OPA)
                state.mocks = [:]
                defer { state.mocks = saved }
                return try call(replacement, args, loc, k)
            }
        }
        switch target {
        case .function(let path):
            try callFunction(path, args, loc, k)
        case .builtin(let name):
            guard let b = builtins[name] else {
                throw RegoError(.type, "undefined function \(name)", loc)
            }
            let r: Value?
            do {
                r = try b.implementation(args, context)
            } catch let e as BuiltinError {
                guard context.strictBuiltinErrors else { return }
                throw RegoError(e.kind == .type ? .evalType : .evalBuiltin, e.message, loc)
            } catch let e as RegoError {
                throw e
            } catch {
                if context.strictBuiltinErrors { throw RegoError(.evalBuiltin, "\(name): \(error)", loc) }
                return
            }
            if let r { try k(r) }
        case .native(let n):
            switch n {
            case .print: try k(.bool(true))
            case .trace:
                traceNote(args[0], loc)
                try k(.bool(true))
            case .walk: try walk(args[0], [], k)
            case .member2:
                var found = false
                switch args[1] {
                case .array(let a): found = a.contains(args[0])
                case .set(let s): found = s.contains(args[0])
                case .object(let o): found = o.values.contains(args[0])
                default: break
                }
                try k(.bool(found))
            case .member3:
                try k(.bool(Evaluator.index(args[2], args[0]).map { $0 == args[1] && !Evaluator.isSet(args[2]) } ?? false))
            }
        }
    }

    static func isSet(_ v: Value) -> Bool {
        if case .set = v { return true }
        return false
    }

    /// `walk(x)`: every `[path, value]` pair of the document, parents before children.
    func walk(_ v: Value, _ path: [Value], _ k: VK) throws {
        try k(.array([.array(path), v]))
        switch v {
        case .array(let a):
            for (i, x) in a.enumerated() { try walk(x, path + [.int(i)], k) }
        case .object(let o):
            for key in o.keys.sorted() { try walk(o[key]!, path + [key], k) }
        case .set(let s):
            for x in s.sorted() { try walk(x, path + [x], k) }
        default: break
        }
    }

    /// Evaluates an expression under its `with` modifiers; the rest of the body runs without them.
    func evalWith(_ e: CExpr, _ f: Frame, _ k: K) throws {
        var plain = e
        plain.with = []
        try evalWith(e, f, { inner in try self.evalExpr(plain, f, inner) }, k)
    }

    /// Runs `body` with the expression's `with` modifiers applied; `k` runs without them.
    func evalWith(_ e: CExpr, _ f: Frame, _ body: (K) throws -> Void, _ k: K) throws {
        var values: [Mock] = []
        for w in e.with {
            if case .functionRef(let target) = w.value {
                if case .function(let path) = target, let n = policy.node(path), !n.isFunction {
                    var got: Value?
                    try evalTerm(.ref(.data, path.map { .value(.string($0)) }), f) { got = $0 }
                    guard let v = got else { return }
                    values.append(.value(v))
                } else {
                    values.append(.function(target))
                }
                continue
            }
            var got: Value?
            try evalTerm(w.value, f) { v in if got == nil { got = v } }
            guard let v = got else { return }
            values.append(.value(v))
        }
        let outer = state
        var inner = state
        inner.cache = [:]
        inner.functionCache = [:]
        for (w, m) in zip(e.with, values) {
            switch (w.target, m) {
            case (.input(let path), .value(let v)):
                inner.input = path.isEmpty ? v : Evaluator.setPath(inner.input ?? .object([:]), path, v)
            case (.data(let path), .value(let v)):
                inner.dataOverrides[path] = v
            case (.function(let key), _):
                inner.mocks[key] = m
            default:
                break
            }
        }
        state = inner
        defer { state = outer }
        try withoutActuallyEscaping(k) { k in
            try body {
                let current = self.state
                self.state = outer
                defer { self.state = current }
                try k()
            }
        }
    }
}
