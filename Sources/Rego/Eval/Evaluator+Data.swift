extension Evaluator {
    /// Follows a reference below `data`: walks the rule tree beside the base document, evaluates
    /// rules where the walk reaches them, then continues into the resulting value.
    func evalData(_ node: RuleNode?, _ base: Value?, _ at: [String], _ path: [CTerm], _ i: Int, _ f: Frame, _ k: VK) throws {
        if !state.dataOverrides.isEmpty {
            if let o = state.dataOverrides[at] { return try evalPath(o, path, i, f, k) }
        }
        guard let node, node.hasRules else {
            guard var b = base else {
                if !state.dataOverrides.isEmpty, let v = patchOverrides(nil, at) { try evalPath(v, path, i, f, k) }
                return
            }
            if !state.dataOverrides.isEmpty { b = patchOverrides(b, at) ?? b }
            return try evalBasePath(b, path, i, f, k)
        }
        if !node.rules.isEmpty || node.defaultRule != nil {
            if node.isFunction { return }
            guard let v = try fullValue(node, base, at) else { return }
            return try evalPath(v, path, i, f, k)
        }
        if i == path.count {
            if let v = try fullValue(node, base, at) { try k(v) }
            return
        }
        let p = path[i]
        if case .local(let s) = p, f.slots[s] == nil {
            var keys = Set(node.children.keys)
            if case .object(let o)? = base {
                for case .string(let key) in o.keys { keys.insert(key) }
            }
            for key in keys {
                f.slots[s] = .string(key)
                defer { f.slots[s] = nil }
                try evalData(node.children[key], Evaluator.index(base ?? .null, .string(key)), extend(at, key), path, i + 1, f, k)
            }
            return
        }
        if isPattern(p, f) {
            guard let v = try fullValue(node, base, at) else { return }
            return try evalPath(v, path, i, f, k)
        }
        try evalTerm(p, f) { key in
            var key = key
            // data keys are strings: `data.x[2]` looks up "2"
            if case .number(let n) = key, n.isInteger { key = .string(n.text) }
            guard case .string(let s) = key else {
                if let b = base, let child = Evaluator.index(b, key) { try self.evalPath(child, path, i + 1, f, k) }
                return
            }
            try self.evalData(node.children[s], base.flatMap { Evaluator.index($0, key) }, extend(at, s), path, i + 1, f, k)
        }
    }

    /// The path one step below `at`. Only `with data` replacements read it: without them the
    /// walk does not pay for building it.
    @inline(__always)
    func extend(_ at: [String], _ key: String) -> [String] {
        state.dataOverrides.isEmpty ? at : at + [key]
    }

    /// Applies `with data...` replacements that lie below `at`.
    func patchOverrides(_ value: Value?, _ at: [String]) -> Value? {
        var v = value
        for (p, o) in state.dataOverrides where p.count > at.count && Array(p.prefix(at.count)) == at {
            v = Evaluator.setPath(v ?? .object([:]), Array(p.dropFirst(at.count)), o)
        }
        return v
    }

    /// Returns `base` with the value at `path` replaced (objects are created along the way).
    static func setPath(_ base: Value, _ path: [String], _ value: Value) -> Value {
        guard let first = path.first else { return value }
        var o: [Value: Value] = [:]
        if case .object(let existing) = base { o = existing }
        let child = o[.string(first)] ?? .object([:])
        o[.string(first)] = setPath(child, Array(path.dropFirst()), value)
        return .object(o)
    }

    /// The whole document at a node: its rules' value, or its base data merged with its children's.
    func fullValue(_ node: RuleNode, _ base: Value?, _ at: [String]) throws -> Value? {
        if let c = state.cache[node.id] {
            if case .value(let v) = c { return v }
            return nil
        }
        // one evaluation computes an input-independent document for all the others
        var shared: SharedResults.RuleKey?
        if state.dataOverrides.isEmpty, state.mocks.isEmpty, policy.independence.contains(node) {
            let key = SharedResults.RuleKey(node: node.id, strictBuiltinErrors: options.strictBuiltinErrors,
                                            maxDepth: options.maxDepth)
            if let c = policy.shared.rule(key) {
                state.cache[node.id] = c
                if case .value(let v) = c { return v }
                return nil
            }
            shared = key
        }
        var result: Value?
        if !node.rules.isEmpty || node.defaultRule != nil {
            if node.isFunction { return nil }
            result = try tracedRuleValue(node)
        } else {
            // a package with no rules yet is an empty object, as in OPA
            result = base ?? .object([:])
        }
        if !node.children.isEmpty {
            var o: [Value: Value] = [:]
            var isObject = result == nil
            if case .object(let existing)? = result {
                o = existing
                isObject = true
            }
            if isObject {
                for (key, child) in node.children where child.hasRules {
                    let childBase = base.flatMap { Evaluator.index($0, .string(key)) }
                    if let cv = try fullValue(child, childBase, extend(at, key)) {
                        o[.string(key)] = node.rules.isEmpty ? Evaluator.overlayBase(o[.string(key)], cv) : try Evaluator.joinRuleValues(o[.string(key)], cv, node, child.rules.first?.location)
                    } else if node.rules.isEmpty {
                        o[.string(key)] = nil
                    }
                }
                if result != nil || !o.isEmpty || node.rules.isEmpty { result = .object(o) }
            }
        }
        if !state.dataOverrides.isEmpty { result = patchOverrides(result, at) }
        let cached: CachedValue = result.map { .value($0) } ?? .undefined
        state.cache[node.id] = cached
        if let shared { policy.shared.storeRule(shared, cached) }
        return result
    }

    /// Evaluates the rules defined at a node.
    func ruleValue(_ node: RuleNode) throws -> Value? {
        guard inProgress.insert(node.id).inserted else {
            throw RegoError(.recursion, "rule \(Compiler.dataPath(node.path)) is recursive", node.rules.first?.location)
        }
        defer { inProgress.remove(node.id) }
        depth += 1
        defer { depth -= 1 }
        if depth > options.maxDepth {
            throw RegoError(.evalLimit, "maximum recursion depth \(options.maxDepth) exceeded", node.rules.first?.location)
        }
        guard let first = node.rules.first else {
            return try node.defaultRule.map { try defaultValue($0) } ?? nil
        }
        switch first.kind {
        case .partialSet where node.rules.contains(where: { !$0.tail.isEmpty }):
            var out: Value = .object([:])
            for r in node.rules {
                let f = takeFrame(r.frameSize)
                defer { recycle(f) }
                try evalBody(r.body, 0, f) {
                    try self.evalTerms(r.tail, f) { keys in
                        try self.evalTerm(r.value, f) { member in
                            out = try Evaluator.insertMember(out, keys, member, r.location)
                        }
                    }
                }
            }
            return out
        case .partialSet:
            var out: Set<Value> = []
            for r in node.rules {
                let f = takeFrame(r.frameSize)
                defer { recycle(f) }
                try evalBody(r.body, 0, f) { try self.evalTerm(r.value, f) { out.insert($0) } }
            }
            return .set(out)
        case .complete where node.rules.contains(where: { !$0.tail.isEmpty }):
            var out: Value = .object([:])
            for r in node.rules {
                try evalRuleChain(r, []) { keys, v in
                    out = try Evaluator.insert(out, keys, v, r.location)
                }
            }
            return out
        default:
            var result: Value?
            for r in node.rules {
                try evalRuleChain(r, []) { _, v in
                    if let old = result, old != v {
                        throw RegoError(.evalConflict, "complete rules must not produce multiple outputs", r.location)
                    }
                    result = v
                }
            }
            if result == nil, let d = node.defaultRule { result = try defaultValue(d) }
            return result
        }
    }

    /// Adds a member to the set at a dynamic key path (`a.b[x] contains y`).
    static func insertMember(_ into: Value, _ keys: [Value], _ member: Value, _ loc: SourceLocation) throws -> Value {
        guard let first = keys.first else {
            if case .set(var s) = into {
                s.insert(member)
                return .set(s)
            }
            if into == .object([:]) { return .set([member]) }
            throw RegoError(.evalConflict, "object keys must be unique", loc)
        }
        guard case .object(var o) = into else { throw RegoError(.evalConflict, "object keys must be unique", loc) }
        o[first] = try insertMember(o[first] ?? .object([:]), Array(keys.dropFirst()), member, loc)
        return .object(o)
    }

    func defaultValue(_ r: CRule) throws -> Value? {
        let f = takeFrame(r.frameSize)
        defer { recycle(f) }
        var out: Value?
        try evalTerm(r.value, f) { out = $0 }
        return out
    }

    /// Inserts a rule's value at its dynamic key path, raising OPA's conflict error on clashes.
    static func insert(_ into: Value, _ keys: [Value], _ v: Value, _ loc: SourceLocation) throws -> Value {
        guard let first = keys.first else {
            if into != v, into != .object([:]) {
                throw RegoError(.evalConflict, "object keys must be unique", loc)
            }
            return v
        }
        guard case .object(var o) = into else { throw RegoError(.evalConflict, "object keys must be unique", loc) }
        if keys.count == 1 {
            if let old = o[first], old != v { throw RegoError(.evalConflict, "object keys must be unique", loc) }
            o[first] = v
        } else {
            o[first] = try insert(o[first] ?? .object([:]), Array(keys.dropFirst()), v, loc)
        }
        return .object(o)
    }

    /// Evaluates one rule and, when it yields nothing, its `else` steps in order. `k` receives
    /// the dynamic key path and the value of each solution.
    func evalRuleChain(_ r: CRule, _ args: [Value], _ k: ([Value], Value) throws -> Void) throws {
        var produced = false
        for n in 0...r.elseRules.count {
            let step = n == 0 ? r : r.elseRules[n - 1]
            let constant = step.value.isConstant && step.tail.isEmpty
            let f = takeFrame(step.frameSize)
            defer { recycle(f) }
            let halt = constant ? Halt() : nil
            do {
                try bindSequence(step.args, args, 0, f) {
                    try self.evalBody(step.body, 0, f) {
                        try self.evalTerms(step.tail, f) { keys in
                            try self.evalTerm(step.value, f) { v in
                                produced = true
                                try k(keys, v)
                                if let halt { throw halt }
                            }
                        }
                    }
                }
            } catch let h as Halt where h === halt {}
            if produced { return }
        }
    }

    /// Calls a user function.
    func callFunction(_ path: [String], _ args: [Value], _ loc: SourceLocation, _ k: VK) throws {
        guard let node = policy.node(path) else { return }
        let key = FunctionCallKey(node: node.id, args: args)
        if let c = state.functionCache[key] {
            if case .value(let v) = c { try k(v) }
            return
        }
        depth += 1
        defer { depth -= 1 }
        if depth > options.maxDepth {
            throw RegoError(.evalLimit, "maximum recursion depth \(options.maxDepth) exceeded", loc)
        }
        traceRule(.enter, node, depth - 1)
        var result: Value?
        for r in node.rules where r.args.count == args.count {
            try evalRuleChain(r, args) { _, v in
                if let old = result, old != v {
                    throw RegoError(.evalConflict, "functions must not produce multiple outputs for same inputs", r.location)
                }
                result = v
            }
        }
        if result == nil, let d = node.defaultRule { result = try defaultValue(d) }
        state.functionCache[key] = result.map { .value($0) } ?? .undefined
        if result != nil { traceRule(.exit, node, depth - 1) }
        if let r = result { try k(r) }
    }
}
