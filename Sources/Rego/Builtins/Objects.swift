extension BuiltinRegistry {
    /// object.get, object.remove, object.union, object.union_n, object.filter, object.keys, object.subset.
    static let objects: [Builtin] = [
        Builtin.function("object.get", [.anyObject, .any, .any], .any) { ops in
            let object = try ops.object(1)
            guard case .array(let path) = ops[2] else { return object[ops[2]] ?? ops[3] }
            var current = ops[1]
            for segment in path {
                guard let next = ObjectOps.child(of: current, segment) else { return ops[3] }
                current = next
            }
            return current
        },
        Builtin.function("object.remove", [.anyObject, .anyOf([.anyArray, .anyObject, .anySet])], .anyObject) { ops in
            let object = try ops.object(1)
            let keys = try ObjectOps.keys(ops)
            return .object(object.filter { !keys.contains($0.key) })
        },
        Builtin.function("object.filter", [.anyObject, .anyOf([.anyArray, .anyObject, .anySet])], .anyObject) { ops in
            let object = try ops.object(1)
            let keys = try ObjectOps.keys(ops)
            return .object(object.filter { keys.contains($0.key) })
        },
        Builtin.function("object.union", [.anyObject, .anyObject], .anyObject) { ops in
            .object(ObjectOps.merge(try ops.object(1), try ops.object(2)))
        },
        Builtin.function("object.union_n", [.array(.anyObject)], .anyObject) { ops in
            var result: [Value: Value] = [:]
            for element in try ops.array(1) {
                guard case .object(let o) = element else {
                    throw ops.operandError(1, "must be array of objects but got array containing \(element.typeName)")
                }
                result = ObjectOps.merge(result, o)
            }
            return .object(result)
        },
        Builtin.function("object.keys", [.anyObject], .anySet) { ops in
            .set(Set(try ops.object(1).keys))
        },
        Builtin.function(
            "object.subset",
            [.anyOf([.anyObject, .anySet, .anyArray]), .anyOf([.anyObject, .anySet, .anyArray])],
            .boolean
        ) { ops in
            switch (ops[1], ops[2]) {
            case (.object(let sup), .object(let sub)): return .bool(ObjectOps.subset(sup, sub))
            case (.set(let sup), .set(let sub)): return .bool(sub.isSubset(of: sup))
            case (.array(let sup), .array(let sub)): return .bool(ObjectOps.contiguous(sup, contains: sub))
            case (.array(let sup), .set(let sub)):
                // OPA stops at the first element that completes the match, so an empty
                // array never holds even the empty set.
                var unmatched = sub.count
                for element in sup {
                    if sub.contains(element) { unmatched -= 1 }
                    if unmatched <= 0 { return .bool(true) }
                }
                return .bool(false)
            default:
                throw BuiltinError(.type, "object.subset: both arguments object.subset must be of the same type or array and set")
            }
        },
    ]
}

/// Object helpers shared by the object builtins.
enum ObjectOps {
    /// One step along an `object.get` path: object key, array index or set member.
    static func child(of value: Value, _ segment: Value) -> Value? {
        switch value {
        case .object(let o): return o[segment]
        case .array(let a):
            guard case .number(let n) = segment, let i = n.intValue, i >= 0, i < a.count else { return nil }
            return a[i]
        case .set(let s): return s.contains(segment) ? segment : nil
        default: return nil
        }
    }

    /// The key collection of operand 2 (array, set or an object's keys).
    static func keys(_ ops: Operands) throws -> Set<Value> {
        switch ops[2] {
        case .array(let a): return Set(a)
        case .set(let s): return s
        case .object(let o): return Set(o.keys)
        default: throw ops.typeError(2, "object", "set", "array")
        }
    }

    /// Right-biased deep merge: nested objects merge, anything else is replaced.
    static func merge(_ a: [Value: Value], _ b: [Value: Value]) -> [Value: Value] {
        var result = a
        for (key, value) in b {
            if case .object(let old)? = result[key], case .object(let new) = value {
                result[key] = .object(merge(old, new))
            } else {
                result[key] = value
            }
        }
        return result
    }

    static func subset(_ sup: [Value: Value], _ sub: [Value: Value]) -> Bool {
        for (key, subValue) in sub {
            guard let supValue = sup[key] else { return false }
            if subValue == supValue { continue }
            switch (supValue, subValue) {
            case (.object(let x), .object(let y)): if !subset(x, y) { return false }
            case (.set(let x), .set(let y)): if !y.isSubset(of: x) { return false }
            case (.array(let x), .array(let y)): if !contiguous(x, contains: y) { return false }
            default: return false
            }
        }
        return true
    }

    /// True when `sub` appears as a contiguous run inside `sup`.
    static func contiguous(_ sup: [Value], contains sub: [Value]) -> Bool {
        if sub.count > sup.count { return false }
        if sub.isEmpty { return true }
        for start in 0...(sup.count - sub.count) where Array(sup[start..<start + sub.count]) == sub {
            return true
        }
        return false
    }
}
