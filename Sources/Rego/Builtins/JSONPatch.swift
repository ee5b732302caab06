/// RFC 6902 JSON Patch over Rego values (objects, arrays and sets), as `json.patch` applies it.
enum JSONPatch {
    static func apply(_ operations: [Value], to target: Value) -> Value? {
        var document = target
        for operation in operations {
            guard case .object(let o) = operation,
                  case .string(let op)? = o[.string("op")],
                  let pathValue = o[.string("path")],
                  let path = JSONPaths.parse(pathValue) else { return nil }
            switch op {
            case "add":
                guard let value = o[.string("value")], let next = insert(value, at: path[...], in: document) else { return nil }
                document = next
            case "remove":
                guard let next = delete(at: path[...], in: document) else { return nil }
                document = next
            case "replace":
                guard let value = o[.string("value")] else { return nil }
                if path.isEmpty {
                    // Replacing the root replaces the whole document, whatever it is.
                    document = value
                    continue
                }
                guard let removed = delete(at: path[...], in: document),
                      let next = insert(value, at: path[...], in: removed) else { return nil }
                document = next
            case "move", "copy":
                guard let fromValue = o[.string("from")], let from = JSONPaths.parse(fromValue),
                      let chunk = get(at: from[...], in: document) else { return nil }
                var base = document
                if op == "move" {
                    guard let removed = delete(at: from[...], in: document) else { return nil }
                    base = removed
                }
                guard let next = insert(chunk, at: path[...], in: base) else { return nil }
                document = next
            case "test":
                guard let value = o[.string("value")], get(at: path[...], in: document) == value else { return nil }
            default:
                return nil
            }
        }
        return document
    }

    private static func index(_ segment: Value, count: Int, allowEnd: Bool) -> Int? {
        let i: Int?
        switch segment {
        case .string("-"): return allowEnd ? count : nil
        case .string(let s): i = s.allSatisfy(\.isASCII) ? Int(s) : nil
        case .number(let n): i = n.intValue
        default: i = nil
        }
        guard let i, i >= 0, i < count || (allowEnd && i == count) else { return nil }
        return i
    }

    static func get(at path: ArraySlice<Value>, in value: Value) -> Value? {
        guard let segment = path.first else { return value }
        switch value {
        case .object(let o): return o[segment].flatMap { get(at: path.dropFirst(), in: $0) }
        case .array(let a):
            guard let i = index(segment, count: a.count, allowEnd: false) else { return nil }
            return get(at: path.dropFirst(), in: a[i])
        case .set(let s): return s.contains(segment) ? get(at: path.dropFirst(), in: segment) : nil
        default: return nil
        }
    }

    static func insert(_ new: Value, at path: ArraySlice<Value>, in value: Value) -> Value? {
        guard let segment = path.first else { return new }
        let last = path.count == 1
        switch value {
        case .object(var o):
            if last { o[segment] = new; return .object(o) }
            guard let child = o[segment], let updated = insert(new, at: path.dropFirst(), in: child) else { return nil }
            o[segment] = updated
            return .object(o)
        case .array(var a):
            if last {
                guard let i = index(segment, count: a.count, allowEnd: true) else { return nil }
                a.insert(new, at: i)
                return .array(a)
            }
            guard let i = index(segment, count: a.count, allowEnd: false),
                  let updated = insert(new, at: path.dropFirst(), in: a[i]) else { return nil }
            a[i] = updated
            return .array(a)
        case .set(var s):
            if last {
                // A set member is its own key: the path must name the value being added.
                guard segment == new else { return nil }
                s.insert(new)
                return .set(s)
            }
            guard s.contains(segment), let updated = insert(new, at: path.dropFirst(), in: segment) else { return nil }
            s.remove(segment)
            s.insert(updated)
            return .set(s)
        default:
            return nil
        }
    }

    static func delete(at path: ArraySlice<Value>, in value: Value) -> Value? {
        guard let segment = path.first else { return nil }
        let last = path.count == 1
        switch value {
        case .object(var o):
            guard let child = o[segment] else { return nil }
            if last { o[segment] = nil; return .object(o) }
            guard let updated = delete(at: path.dropFirst(), in: child) else { return nil }
            o[segment] = updated
            return .object(o)
        case .array(var a):
            guard let i = index(segment, count: a.count, allowEnd: false) else { return nil }
            if last { a.remove(at: i); return .array(a) }
            guard let updated = delete(at: path.dropFirst(), in: a[i]) else { return nil }
            a[i] = updated
            return .array(a)
        case .set(var s):
            guard s.contains(segment) else { return nil }
            s.remove(segment)
            if last { return .set(s) }
            guard let updated = delete(at: path.dropFirst(), in: segment) else { return nil }
            s.insert(updated)
            return .set(s)
        default:
            return nil
        }
    }
}
