extension BuiltinRegistry {
    /// base64, base64url, hex and URL query encodings, with Go's acceptance rules and messages.
    static let encoding: [Builtin] = [
        stringToString("base64.encode") { _, s in Base64.encode(Array(s.utf8), url: false, pad: true) },
        stringToString("base64.decode") { ops, s in
            do { return GoStrings.string(try Base64.decode(s, url: false)) } catch let e as Base64.Failure { throw ops.failure(e.message) }
        },
        Builtin.function("base64.is_valid", [.string], .boolean) { ops in
            guard case .string(let s) = ops[1] else { return .bool(false) }
            return .bool((try? Base64.decode(s, url: false)) != nil)
        },
        stringToString("base64url.encode") { _, s in Base64.encode(Array(s.utf8), url: true, pad: true) },
        stringToString("base64url.encode_no_pad") { _, s in Base64.encode(Array(s.utf8), url: true, pad: false) },
        stringToString("base64url.decode") { ops, s in
            var padded = s
            // Encoders that drop the padding are accepted, as RFC 7515 appendix C describes.
            if !s.hasSuffix("=") {
                switch s.utf8.count % 4 {
                case 0: break
                case 2: padded += "=="
                case 3: padded += "="
                default: throw ops.failure("illegal base64url string: \(s)")
                }
            }
            do { return GoStrings.string(try Base64.decode(padded, url: true)) } catch let e as Base64.Failure { throw ops.failure(e.message) }
        },
        stringToString("hex.encode") { _, s in s.utf8.map { GoQuote.hex(UInt32($0), width: 2) }.joined() },
        stringToString("hex.decode") { ops, s in
            var out: [UInt8] = []
            let bytes = Array(s.utf8)
            var i = 0
            while i + 1 < bytes.count {
                guard let hi = hexValue(bytes[i]) else { throw ops.failure("encoding/hex: \(invalidByte(s, at: i))") }
                guard let lo = hexValue(bytes[i + 1]) else { throw ops.failure("encoding/hex: \(invalidByte(s, at: i + 1))") }
                out.append(hi << 4 | lo)
                i += 2
            }
            if bytes.count % 2 == 1 {
                if hexValue(bytes[bytes.count - 1]) == nil { throw ops.failure("encoding/hex: \(invalidByte(s, at: bytes.count - 1))") }
                throw ops.failure("encoding/hex: odd length hex string")
            }
            return GoStrings.string(out)
        },
        stringToString("urlquery.encode") { _, s in URLQuery.escape(s) },
        stringToString("urlquery.decode") { ops, s in
            do { return try URLQuery.unescape(s) } catch let e as URLQuery.Failure { throw ops.failure(e.message) }
        },
        Builtin.function(
            "urlquery.encode_object",
            [.object(key: .string, value: .anyOf([.string, .array(.string), .set(.string)]))],
            .string
        ) { ops in
            let object = try ops.object(1)
            var pairs: [(String, String)] = []
            for (key, value) in object {
                let k = JSONText.keyText(key)
                switch value {
                case .string(let s): pairs.append((k, s))
                case .array, .set:
                    let items: [Value]
                    if case .array(let a) = value { items = a } else if case .set(let s) = value { items = s.sorted() } else { items = [] }
                    for item in items {
                        guard case .string(let s) = item else { throw ops.operandError(1, "values must be string, array[string], or set[string]") }
                        pairs.append((k, s))
                    }
                default:
                    throw ops.operandError(1, "values must be string, array[string], or set[string]")
                }
            }
            // url.Values.Encode sorts by key and keeps each key's values in order.
            let sorted = pairs.enumerated().sorted {
                let c = Value.compare(.string($0.element.0), .string($1.element.0))
                return c != 0 ? c < 0 : $0.offset < $1.offset
            }
            return .string(sorted.map { URLQuery.escape($0.element.0) + "=" + URLQuery.escape($0.element.1) }.joined(separator: "&"))
        },
        Builtin.function("urlquery.decode_object", [.string], .object(key: .string, value: .array(.string))) { ops in
            let query = try ops.string(1)
            var result: [Value: [Value]] = [:]
            var firstError: String?
            for part in GoStrings.split(query, "&") where !part.isEmpty {
                if GoStrings.contains(part, ";") {
                    firstError = firstError ?? "invalid semicolon separator in query"
                    continue
                }
                let kv = GoStrings.split(part, "=")
                let rawKey = kv[0], rawValue = kv.count > 1 ? kv[1...].joined(separator: "=") : ""
                do {
                    let k = try URLQuery.unescape(rawKey), v = try URLQuery.unescape(rawValue)
                    result[.string(k), default: []].append(.string(v))
                } catch let e as URLQuery.Failure {
                    firstError = firstError ?? e.message
                }
            }
            if let firstError { throw ops.failure(firstError) }
            return .object(result.mapValues { .array($0) })
        },
    ]

    private static func stringToString(_ name: String, _ body: @escaping @Sendable (Operands, String) throws -> String) -> Builtin {
        Builtin.function(name, [.string], .string) { ops in .string(try body(ops, try ops.string(1))) }
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Go's `hex.InvalidByteError` text: the offending byte as a rune.
    private static func invalidByte(_ s: String, at index: Int) -> String {
        let b = Array(s.utf8)[index]
        let scalar = Unicode.Scalar(b)
        let quoted = GoQuote.quote(String(Character(scalar)))
        return "invalid byte: U+\(GoQuote.hex(UInt32(b), width: 4).uppercased()) '\(quoted.dropFirst().dropLast())'"
    }
}

/// Go's `encoding/base64` standard and URL alphabets.
enum Base64 {
    struct Failure: Error { let message: String }

    static func encode(_ bytes: [UInt8], url: Bool, pad: Bool) -> String {
        let alphabet = Array((url
            ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var chunk: UInt32 = 0
            for k in 0..<3 { chunk = chunk << 8 | UInt32(k < n ? bytes[i + k] : 0) }
            for k in 0..<4 {
                if k <= n { out.append(alphabet[Int((chunk >> (18 - 6 * UInt32(k))) & 63)]) } else if pad { out.append(UInt8(ascii: "=")) }
            }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict padded decoding; carriage returns and newlines are skipped as Go does.
    static func decode(_ s: String, url: Bool) throws -> [UInt8] {
        let input = Array(s.utf8)
        func value(_ c: UInt8) -> UInt32? {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+") where !url, UInt8(ascii: "-") where url: return 62
            case UInt8(ascii: "/") where !url, UInt8(ascii: "_") where url: return 63
            default: return nil
            }
        }
        var out: [UInt8] = []
        var quad: [UInt32] = []
        var quadStart = 0
        var i = 0
        var finished = false
        while i < input.count {
            let c = input[i]
            if c == 0x0A || c == 0x0D { i += 1; continue }
            if finished { throw Failure(message: "illegal base64 data at input byte \(i)") }
            if c == UInt8(ascii: "=") {
                // Padding only completes a quad that already holds two or three symbols.
                guard quad.count >= 2 else { throw Failure(message: "illegal base64 data at input byte \(i)") }
                var j = i + 1
                if quad.count == 2 {
                    while j < input.count, input[j] == 0x0A || input[j] == 0x0D { j += 1 }
                    guard j < input.count, input[j] == UInt8(ascii: "=") else {
                        throw Failure(message: "illegal base64 data at input byte \(j < input.count ? j : input.count)")
                    }
                    j += 1
                }
                let chunk = quad.reduce(0) { $0 << 6 | $1 } << (6 * UInt32(4 - quad.count))
                out.append(UInt8((chunk >> 16) & 0xFF))
                if quad.count == 3 { out.append(UInt8((chunk >> 8) & 0xFF)) }
                quad = []
                finished = true
                i = j
                continue
            }
            guard let v = value(c) else { throw Failure(message: "illegal base64 data at input byte \(i)") }
            if quad.isEmpty { quadStart = i }
            quad.append(v)
            if quad.count == 4 {
                let chunk = quad.reduce(0) { $0 << 6 | $1 }
                out += [UInt8(chunk >> 16 & 0xFF), UInt8(chunk >> 8 & 0xFF), UInt8(chunk & 0xFF)]
                quad = []
            }
            i += 1
        }
        if !quad.isEmpty { throw Failure(message: "illegal base64 data at input byte \(quadStart)") }
        return out
    }
}

/// Go's `url.QueryEscape` and `url.QueryUnescape`.
enum URLQuery {
    struct Failure: Error { let message: String }

    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " "): out += "+"
            default: out += "%" + GoQuote.hex(UInt32(b), width: 2).uppercased()
            }
        }
        return out
    }

    static func unescape(_ s: String) throws -> String {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "%"):
                guard i + 2 < bytes.count, let hi = Character(Unicode.Scalar(bytes[i + 1])).hexDigitValue,
                      let lo = Character(Unicode.Scalar(bytes[i + 2])).hexDigitValue else {
                    let bad = GoStrings.string(bytes[i..<min(bytes.count, i + 3)])
                    throw Failure(message: "invalid URL escape \(GoQuote.quote(bad))")
                }
                out.append(UInt8(hi << 4 | lo))
                i += 3
            case UInt8(ascii: "+"): out.append(UInt8(ascii: " ")); i += 1
            default: out.append(bytes[i]); i += 1
            }
        }
        return GoStrings.string(out)
    }
}
