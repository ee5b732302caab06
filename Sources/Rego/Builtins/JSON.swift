extension BuiltinRegistry {
    /// json.marshal, json.marshal_with_options, json.unmarshal, json.is_valid, json.filter, json.remove, json.patch.
    static let json: [Builtin] = [
        Builtin.function("json.marshal", [.any], .string) { ops in
            .string(JSONText.encode(ops[1]))
        },
        Builtin.function(
            "json.marshal_with_options",
            [.any, .object(key: .string, value: .anyOf([.boolean, .string]))],
            .string
        ) { ops in
            let options = try ops.object(2)
            var pretty: Bool?, implied = false
            var prefix = "", indent = "\t"
            for (key, value) in options.sorted(by: { $0.key < $1.key }) {
                switch key {
                case .string("pretty"):
                    guard case .bool(let b) = value else {
                        throw ops.operandError(2, "key \(RegoText.render(key)) failed cast to bool")
                    }
                    pretty = b
                case .string("indent"), .string("prefix"):
                    guard case .string(let s) = value else {
                        throw ops.operandError(2, "key \(RegoText.render(key)) failed cast to string: operand 2 must be string but got \(value.typeName)")
                    }
                    if key == .string("indent") { indent = s } else { prefix = s }
                    implied = true
                default:
                    throw ops.operandError(2, "object contained unknown key \(RegoText.render(key))")
                }
            }
            guard pretty ?? implied else { return .string(JSONText.encode(ops[1])) }
            return .string(prefix + JSONText.encode(ops[1], prefix: prefix, indent: indent))
        },
        Builtin.function("json.unmarshal", [.string], .any) { ops in
            do {
                return try JSONText.parse(try ops.string(1))
            } catch let error as JSONText.ParseError {
                throw ops.failure(error.message)
            }
        },
        Builtin.function("json.is_valid", [.string], .boolean) { ops in
            guard case .string(let s) = ops[1] else { return .bool(false) }
            return .bool((try? JSONText.parse(s)) != nil)
        },
        Builtin.function("json.filter", [.anyObject, .anyOf([.array(.anyOf([.string, .anyArray])), .set(.anyOf([.string, .anyArray]))])], .any) { ops in
            let object = try ops.object(1)
            let tree = JSONPaths.tree(try JSONPaths.paths(ops))
            return JSONPaths.filter(.object(object), tree)
        },
        Builtin.function("json.remove", [.anyObject, .anyOf([.array(.anyOf([.string, .anyArray])), .set(.anyOf([.string, .anyArray]))])], .any) { ops in
            _ = try ops.object(1)
            let tree = JSONPaths.tree(try JSONPaths.paths(ops))
            return JSONPaths.remove(ops[1], tree)
        },
        Builtin.function("json.patch", [.any, .array(.object(key: .string, value: .any))], .any) { ops in
            let operations = try ops.array(2)
            // OPA makes any failed patch undefined rather than an error.
            return JSONPatch.apply(operations, to: ops[1])
        },
    ]
}

/// JSON-pointer-style paths as json.filter and json.remove read them.
enum JSONPaths {
    static func paths(_ ops: Operands) throws -> [[Value]] {
        let items: [Value]
        switch ops[2] {
        case .array(let a): items = a
        case .set(let s): items = s.sorted()
        default: throw ops.typeError(2, "set", "array")
        }
        return try items.map { item in
            guard let path = parse(item) else {
                throw ops.operandError(2, "must be one of {set, array} containing string paths or array of path segments but got \(item.typeName)")
            }
            return path
        }
    }

    /// A `/`-separated pointer (with `~1` and `~0` escapes) or an array of segments.
    static func parse(_ item: Value) -> [Value]? {
        switch item {
        case .string(let p):
            if p.isEmpty { return [] }
            let trimmed = String(p.drop { $0 == "/" })
            return GoStrings.split(trimmed, "/").map {
                .string(GoStrings.replace(GoStrings.replace($0, pairs: [("~1", "/")]), pairs: [("~0", "~")]))
            }
        case .array(let a): return a
        default: return nil
        }
    }

    /// The paths as a tree of objects whose leaves are null; a shorter path swallows longer ones.
    static func tree(_ paths: [[Value]]) -> [Value: Value] {
        var root: [Value: Value] = [:]
        func insert(_ path: ArraySlice<Value>, into node: inout [Value: Value]) {
            guard let key = path.first else { return }
            if path.count == 1 { node[key] = .null; return }
            switch node[key] {
            case .null?: return
            case .object(var child)?:
                node[key] = nil
                insert(path.dropFirst(), into: &child)
                node[key] = .object(child)
            default:
                var child: [Value: Value] = [:]
                insert(path.dropFirst(), into: &child)
                node[key] = .object(child)
            }
        }
        for path in paths where !path.isEmpty { insert(path[...], into: &root) }
        return root
    }

    static func filter(_ value: Value, _ filter: [Value: Value]) -> Value {
        switch value {
        case .array(let a):
            var out: [Value] = []
            for (i, element) in a.enumerated() {
                if let sub = filter[.string(String(i))] { out.append(apply(element, sub)) }
            }
            return .array(out)
        case .set(let s):
            return .set(Set(s.compactMap { element in filter[element].map { apply(element, $0) } }))
        case .object(let o):
            var out: [Value: Value] = [:]
            for (key, sub) in filter { if let v = o[key] { out[key] = apply(v, sub) } }
            return .object(out)
        default:
            return value
        }
    }

    private static func apply(_ value: Value, _ sub: Value) -> Value {
        if case .object(let o) = sub { return filter(value, o) }
        return value
    }

    static func remove(_ value: Value, _ tree: [Value: Value]) -> Value {
        switch value {
        case .object(let o):
            var out: [Value: Value] = [:]
            for (key, v) in o { if let kept = removing(v, tree[key]) { out[key] = kept } }
            return .object(out)
        case .set(let s):
            return .set(Set(s.compactMap { removing($0, tree[$0]) }))
        case .array(let a):
            return .array(a.enumerated().compactMap { removing($0.element, tree[.string(String($0.offset))]) })
        default:
            return value
        }
    }

    /// nil when the value is removed (its path ends here).
    private static func removing(_ value: Value, _ node: Value?) -> Value? {
        switch node {
        case .null?: return nil
        case .object(let sub)?: return remove(value, sub)
        default: return value
        }
    }
}
