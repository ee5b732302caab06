extension Evaluator {
    /// Calls `k` with each value of the term (none when undefined; several when it iterates).
    func evalTerm(_ t: CTerm, _ f: Frame, _ k: VK) throws {
        switch t {
        case .value(let v): try k(v)
        case .local(let s):
            guard let v = f.slots[s] else { throw RegoError(.internalError, "unbound variable") }
            try k(v)
        case .input:
            if let i = state.input { try k(i) }
        case .data:
            try evalData(policy.root, policy.data, [], [], 0, f, k)
        case .ref(let head, let path):
            switch head {
            case .data: try evalData(policy.root, policy.data, [], path, 0, f, k)
            case .input: if let i = state.input { try evalPath(i, path, 0, f, k) }
            case .local(let s):
                guard let v = f.slots[s] else { throw RegoError(.internalError, "unbound variable") }
                try evalPath(v, path, 0, f, k)
            default: try evalTerm(head, f) { try self.evalPath($0, path, 0, f, k) }
            }
        case .array(let items):
            try evalTerms(items, f) { try k(.array($0)) }
        case .set(let items):
            try evalTerms(items, f) { try k(.set(Set($0))) }
        case .object(let pairs):
            try evalTerms(pairs.map(\.0) + pairs.map(\.1), f) { vals in
                var o: [Value: Value] = [:]
                o.reserveCapacity(pairs.count)
                for i in 0..<pairs.count { o[vals[i]] = vals[pairs.count + i] }
                try k(.object(o))
            }
        case .arrayComprehension(let head, let body):
            var out: [Value] = []
            try evalBody(body, 0, f) { try self.evalTerm(head, f) { out.append($0) } }
            try k(.array(out))
        case .setComprehension(let head, let body):
            var out: Set<Value> = []
            try evalBody(body, 0, f) { try self.evalTerm(head, f) { out.insert($0) } }
            try k(.set(out))
        case .objectComprehension(let kt, let vt, let body):
            var out: [Value: Value] = [:]
            try evalBody(body, 0, f) {
                try self.evalTerm(kt, f) { key in
                    try self.evalTerm(vt, f) { val in
                        if let old = out[key], old != val {
                            throw RegoError(.evalConflict, "object keys must be unique", nil)
                        }
                        out[key] = val
                    }
                }
            }
            try k(.object(out))
        case .call(let target, let args, let loc):
            if case .native(.print) = target { return try k(try print(args, f)) }
            try evalTerms(args, f) { vals in try self.call(target, vals, loc, k) }
        case .template(let parts):
            var s = ""
            for p in parts {
                switch p {
                case .text(let x): s += x
                case .expression(let e):
                    var first: Value?
                    let halt = Halt()
                    do {
                        try evalTerm(e, f) { v in
                            first = v
                            throw halt
                        }
                    } catch let h as Halt where h === halt {}
                    if let v = first {
                        if case .string(let str) = v { s += str } else { s += v.regoText }
                    } else {
                        s += "<undefined>"
                    }
                }
            }
            try k(.string(s))
        case .functionRef:
            throw RegoError(.internalError, "function used as a value")
        }
    }

    /// Evaluates terms left to right, delivering each combination of their values.
    func evalTerms(_ ts: [CTerm], _ f: Frame, _ k: ([Value]) throws -> Void) throws {
        var simple: [Value] = []
        simple.reserveCapacity(ts.count)
        for t in ts {
            switch t {
            case .value(let v): simple.append(v)
            case .local(let s):
                guard let v = f.slots[s] else { return try evalTermsSlow(ts, f, k) }
                simple.append(v)
            case .ref:
                guard let r = constantRef(t, f) else { return try evalTermsSlow(ts, f, k) }
                // undefined: no combination (the terms before it have no effects)
                guard let v = r else { return }
                simple.append(v)
            default:
                return try evalTermsSlow(ts, f, k)
            }
        }
        try k(simple)
    }

    /// The value of `input.a.b` or `x.a.b` with constant keys and `x` bound, without a
    /// continuation: `.some(nil)` when it is undefined, nil when the term has another form.
    func constantRef(_ t: CTerm, _ f: Frame) -> Value?? {
        guard case .ref(let head, let path) = t else { return nil }
        var v: Value
        switch head {
        case .input:
            guard let i = state.input else { return .some(nil) }
            v = i
        case .local(let s):
            guard let x = f.slots[s] else { return nil }
            v = x
        default:
            return nil
        }
        for p in path {
            guard case .value(let key) = p else { return nil }
            guard let next = Evaluator.index(v, key) else { return .some(nil) }
            v = next
        }
        return .some(v)
    }

    private func evalTermsSlow(_ ts: [CTerm], _ f: Frame, _ k: ([Value]) throws -> Void) throws {
        var acc: [Value] = []
        acc.reserveCapacity(ts.count)
        if ts.contains(where: { if case .local(let s) = $0 { return f.slots[s] == nil } else { return false } }) {
            // A variable bound by iterating another operand (`x == xs[x]`): evaluate the others first.
            let order = ts.indices.filter { if case .local = ts[$0] { return false } else { return true } }
                + ts.indices.filter { if case .local = ts[$0] { return true } else { return false } }
            return try evalTermsNext(order.map { ts[$0] }, 0, &acc, f) { vals in
                var out = [Value](repeating: .null, count: ts.count)
                for (j, idx) in order.enumerated() { out[idx] = vals[j] }
                try k(out)
            }
        }
        try evalTermsNext(ts, 0, &acc, f, k)
    }

    /// One buffer serves every combination: a continuation that keeps the values copies them.
    private func evalTermsNext(_ ts: [CTerm], _ i: Int, _ acc: inout [Value], _ f: Frame, _ k: ([Value]) throws -> Void) throws {
        if i == ts.count { return try k(acc) }
        try evalTerm(ts[i], f) { v in
            acc.append(v)
            defer { acc.removeLast() }
            try self.evalTermsNext(ts, i + 1, &acc, f, k)
        }
    }

    /// Follows a reference path into a value; unbound variables in the path iterate.
    func evalPath(_ base: Value, _ path: [CTerm], _ i: Int, _ f: Frame, _ k: VK) throws {
        if i == path.count { return try k(base) }
        let p = path[i]
        if case .local(let s) = p, f.slots[s] == nil {
            switch base {
            case .array(let a):
                for (idx, x) in a.enumerated() {
                    f.slots[s] = .int(idx)
                    defer { f.slots[s] = nil }
                    try evalPath(x, path, i + 1, f, k)
                }
            case .object(let o):
                for (key, x) in o {
                    f.slots[s] = key
                    defer { f.slots[s] = nil }
                    try evalPath(x, path, i + 1, f, k)
                }
            case .set(let set):
                for x in set {
                    f.slots[s] = x
                    defer { f.slots[s] = nil }
                    try evalPath(x, path, i + 1, f, k)
                }
            default: break
            }
            return
        }
        if case .value(let key) = p {
            if let child = Evaluator.index(base, key) { try evalPath(child, path, i + 1, f, k) }
            return
        }
        if isPattern(p, f) {
            try iterate(base) { key, child in
                try self.bind(p, key, f) { try self.evalPath(child, path, i + 1, f, k) }
            }
            return
        }
        try evalTerm(p, f) { key in
            if let child = Evaluator.index(base, key) { try self.evalPath(child, path, i + 1, f, k) }
        }
    }

    /// One step of a reference into a value.
    static func index(_ base: Value, _ key: Value) -> Value? {
        switch base {
        case .object(let o): return o[key]
        case .array(let a):
            guard case .number(let n) = key, let i = n.intValue, n.isInteger, i >= 0, i < a.count else { return nil }
            return a[i]
        case .set(let s): return s.contains(key) ? key : nil
        default: return nil
        }
    }

    /// `print`: undefined operands print `<undefined>`; always true.
    func print(_ args: [CTerm], _ f: Frame) throws -> Value {
        var parts: [String] = []
        for a in args {
            var first: Value?
            let halt = Halt()
            do {
                try evalTerm(a, f) { v in
                    first = v
                    throw halt
                }
            } catch let h as Halt where h === halt {}
            if let v = first {
                if case .string(let s) = v { parts.append(s) } else { parts.append(v.regoText) }
            } else {
                parts.append("<undefined>")
            }
        }
        context.printSink(parts.joined(separator: " "))
        return .bool(true)
    }
}
