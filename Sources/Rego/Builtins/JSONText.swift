/// JSON text in and out, as Go's `encoding/json` reads and writes it for OPA.
enum JSONText {
    struct ParseError: Error { let message: String }

    /// Compact JSON, keys sorted, sets as sorted arrays, non-string keys in their Rego text.
    static func encode(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: nil, prefix: "", depth: 0)
        return out
    }

    /// `json.MarshalIndent`: every line after the first starts with `prefix`.
    static func encode(_ value: Value, prefix: String, indent: String) -> String {
        var out = ""
        write(value, into: &out, indent: indent, prefix: prefix, depth: 0)
        return out
    }

    private static func newline(_ out: inout String, _ indent: String?, _ prefix: String, _ depth: Int) {
        guard let indent else { return }
        out += "\n" + prefix + String(repeating: indent, count: depth)
    }

    private static func write(_ value: Value, into out: inout String, indent: String?, prefix: String, depth: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.regoText
        case .string(let s): writeString(s, into: &out)
        case .array(let a): writeArray(a, into: &out, indent: indent, prefix: prefix, depth: depth)
        case .set(let s): writeArray(s.sorted(), into: &out, indent: indent, prefix: prefix, depth: depth)
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            // Keys that print alike (1 and "1") collapse; the later key in Rego order wins.
            var byText: [String: Value] = [:]
            for key in o.keys.sorted() { byText[keyText(key)] = o[key]! }
            let entries = byText.map { (key: $0.key, value: $0.value) }
                .sorted { Value.compare(.string($0.key), .string($1.key)) < 0 }
            out += "{"
            for (i, entry) in entries.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, prefix, depth + 1)
                writeString(entry.key, into: &out)
                out += indent == nil ? ":" : ": "
                write(entry.value, into: &out, indent: indent, prefix: prefix, depth: depth + 1)
            }
            newline(&out, indent, prefix, depth)
            out += "}"
        }
    }

    private static func writeArray(_ a: [Value], into out: inout String, indent: String?, prefix: String, depth: Int) {
        if a.isEmpty { out += "[]"; return }
        out += "["
        for (i, v) in a.enumerated() {
            if i > 0 { out += "," }
            newline(&out, indent, prefix, depth + 1)
            write(v, into: &out, indent: indent, prefix: prefix, depth: depth + 1)
        }
        newline(&out, indent, prefix, depth)
        out += "]"
    }

    static func keyText(_ key: Value) -> String {
        if case .string(let s) = key { return s }
        return RegoText.render(key)
    }

    /// Go's string encoding, HTML-safe escapes included.
    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + GoQuote.hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + GoQuote.hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    // MARK: - Parsing

    /// Reads one JSON value the way OPA's decoder reports problems: `EOF` for no input,
    /// `unexpected EOF` for a value cut short, and trailing text after the value as an error.
    static func parse(_ text: String) throws -> Value {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipSpace()
        if parser.index == parser.bytes.count { throw ParseError(message: "EOF") }
        let value = try parser.value()
        parser.skipSpace()
        if parser.index < parser.bytes.count {
            throw ParseError(message: "error: invalid character \(parser.describeCurrent()) after top-level value")
        }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        func describeCurrent() -> String {
            let b = bytes[index]
            if b == UInt8(ascii: "'") { return "'\\''" }
            if b == UInt8(ascii: "\"") { return "'\"'" }
            if b < 0x20 { return "'\\x\(GoQuote.hex(UInt32(b), width: 2))'" }
            if b < 0x80 { return "'\(Character(Unicode.Scalar(b)))'" }
            let scalar = String(decoding: bytes[index...].prefix(4), as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
            return "'\(Character(scalar))'"
        }

        func unexpected(_ context: String) -> ParseError {
            if index >= bytes.count { return ParseError(message: "unexpected EOF") }
            return ParseError(message: "invalid character \(describeCurrent()) \(context)")
        }

        mutating func value() throws -> Value {
            guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw unexpected("looking for beginning of value")
            }
        }

        mutating func literal(_ word: String) throws {
            for expected in word.utf8 {
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                if bytes[index] != expected { throw unexpected("in literal \(word) (expecting '\(Character(Unicode.Scalar(expected)))')") }
                index += 1
            }
        }

        mutating func number() throws -> Value {
            let start = index
            func digits() -> Int {
                let s = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - s
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else if digits() == 0 {
                throw unexpected("in numeric literal")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { throw unexpected("after decimal point in numeric literal") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { throw unexpected("in exponent of numeric literal") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            guard let n = NumberText.parseDecimal(Substring(text)) else {
                throw ParseError(message: "json: cannot unmarshal number \(text)")
            }
            return .number(n)
        }

        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) {
                if end > run { scalars.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars) }
            }
            while true {
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    flush(index)
                    index += 1
                    return String(scalars)
                }
                if b < 0x20 { throw unexpected("in string literal") }
                if b != UInt8(ascii: "\\") { index += 1; continue }
                flush(index)
                index += 1
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        let save = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = save
                        }
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    index -= 1
                    throw unexpected("in string escape code")
                }
                run = index
            }
        }

        mutating func hex4() throws -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                guard let d = Character(Unicode.Scalar(bytes[index])).hexDigitValue else {
                    throw unexpected("in \\u hexadecimal character escape")
                }
                code = code * 16 + UInt32(d)
                index += 1
            }
            return code
        }

        mutating func enter() throws {
            depth += 1
            // Recursion depth bounds the stack, which is small on secondary threads.
            if depth > 512 { throw ParseError(message: "exceeded max depth") }
        }

        mutating func array() throws -> Value {
            try enter()
            defer { depth -= 1 }
            index += 1
            var items: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw unexpected("after array element")
            }
        }

        mutating func object() throws -> Value {
            try enter()
            defer { depth -= 1 }
            index += 1
            var members: [Value: Value] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected("looking for beginning of object key string") }
                let key = try string()
                skipSpace()
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                guard bytes[index] == UInt8(ascii: ":") else { throw unexpected("after object key") }
                index += 1
                skipSpace()
                members[.string(key)] = try value()
                skipSpace()
                guard index < bytes.count else { throw ParseError(message: "unexpected EOF") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw unexpected("after object key:value pair")
            }
        }
    }
}
