import BigInt

extension Number {
    /// The number as OPA prints it: integers exactly, floats in Go's shortest form.
    public var text: String {
        switch self {
        case .int(let i): return String(i)
        case .bigInt(let b): return String(b)
        case .float(let d):
            if d.isNaN || d.isInfinite { return String(d) }
            if d == d.rounded(.towardZero) && abs(d) < 1e21 {
                if let i = Int(exactly: d) { return String(i) }
                if let b = BigInt(exactly: d) { return String(b) }
            }
            var s = String(d)
            if let e = s.firstIndex(of: "e") {
                let mantissa = s[..<e]
                var exp = String(s[s.index(after: e)...])
                if !exp.hasPrefix("-") && !exp.hasPrefix("+") { exp = "+" + exp }
                s = mantissa + "e" + exp
            }
            return s
        }
    }
}

extension Value {
    /// The value as JSON, as OPA renders results: object keys and sets sorted, non-string keys
    /// rendered as their JSON text.
    public func json(pretty: Bool = false, indent: String = "") -> String {
        var out = ""
        writeJSON(into: &out, pretty: pretty, indent: indent)
        return out
    }

    func writeJSON(into out: inout String, pretty: Bool, indent: String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.text
        case .string(let s): Value.writeQuoted(s, into: &out)
        case .array(let a): Value.writeJSONArray(a, into: &out, pretty: pretty, indent: indent)
        case .set(let s): Value.writeJSONArray(s.sorted(), into: &out, pretty: pretty, indent: indent)
        case .object(let o):
            if o.isEmpty {
                out += "{}"
                return
            }
            var entries: [(String, Value)] = o.map { k, v in
                if case .string(let s) = k { return (s, v) }
                return (k.json(), v)
            }
            entries.sort { Value.compare(.string($0.0), .string($1.0)) < 0 }
            let inner = indent + "  "
            out += "{"
            for (i, (k, v)) in entries.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + inner }
                Value.writeQuoted(k, into: &out)
                out += pretty ? ": " : ":"
                v.writeJSON(into: &out, pretty: pretty, indent: inner)
            }
            if pretty { out += "\n" + indent }
            out += "}"
        }
    }

    private static func writeJSONArray(_ a: [Value], into out: inout String, pretty: Bool, indent: String) {
        if a.isEmpty {
            out += "[]"
            return
        }
        let inner = indent + "  "
        out += "["
        for (i, v) in a.enumerated() {
            if i > 0 { out += "," }
            if pretty { out += "\n" + inner }
            v.writeJSON(into: &out, pretty: pretty, indent: inner)
        }
        if pretty { out += "\n" + indent }
        out += "]"
    }

    /// Writes a JSON string literal with Go's escaping of `<`, `>` and `&` left out (as OPA's CLI).
    static func writeQuoted(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// The value in Rego's own term syntax (`set()`, `{1, 2}`, `{"a": 1}`), as `print` and
    /// template strings show it.
    public var regoText: String {
        switch self {
        case .null, .bool, .number, .string: return json()
        case .array(let a): return "[" + a.map(\.regoText).joined(separator: ", ") + "]"
        case .set(let s):
            if s.isEmpty { return "set()" }
            return "{" + s.sorted().map(\.regoText).joined(separator: ", ") + "}"
        case .object(let o):
            return "{" + o.keys.sorted().map { "\($0.regoText): \(o[$0]!.regoText)" }.joined(separator: ", ") + "}"
        }
    }

    /// The value converted to plain JSON data: sets become sorted arrays and non-string keys
    /// become their JSON text, as OPA does when it hands results out.
    public var jsonCompatible: Value {
        switch self {
        case .null, .bool, .number, .string: return self
        case .array(let a): return .array(a.map(\.jsonCompatible))
        case .set(let s): return .array(s.sorted().map(\.jsonCompatible))
        case .object(let o):
            var r: [Value: Value] = [:]
            for (k, v) in o {
                if case .string = k { r[k] = v.jsonCompatible } else { r[.string(k.json())] = v.jsonCompatible }
            }
            return .object(r)
        }
    }
}
