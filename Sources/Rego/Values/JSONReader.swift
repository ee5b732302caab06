import BigInt

/// Reads JSON text into a `Value`, keeping integers exact (Foundation's reader rounds them).
public struct JSONReader {
    private let bytes: [UInt8]
    private var pos = 0

    /// Parses one JSON document.
    public static func parse(_ text: String) throws -> Value {
        var r = JSONReader(bytes: Array(text.utf8))
        r.skipSpace()
        let v = try r.value()
        r.skipSpace()
        guard r.pos == r.bytes.count else { throw r.failure("extra data after JSON value") }
        return v
    }

    /// Parses a stream of JSON documents (e.g. JSON Lines).
    public static func parseAll(_ text: String) throws -> [Value] {
        var r = JSONReader(bytes: Array(text.utf8))
        var out: [Value] = []
        r.skipSpace()
        while r.pos < r.bytes.count {
            out.append(try r.value())
            r.skipSpace()
        }
        return out
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Why a JSON document could not be read.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong and at which byte.
        public let description: String
    }

    private func failure(_ m: String) -> Failure { Failure(description: "\(m) at offset \(pos)") }

    private mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 32 || bytes[pos] == 9 || bytes[pos] == 10 || bytes[pos] == 13 { pos += 1 }
    }

    private mutating func literal(_ word: String, _ v: Value) throws -> Value {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else { throw failure("invalid JSON literal") }
        pos += w.count
        return v
    }

    private mutating func value() throws -> Value {
        guard pos < bytes.count else { throw failure("unexpected end of JSON input") }
        switch bytes[pos] {
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            pos += 1
            var a: [Value] = []
            skipSpace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array(a)
            }
            while true {
                skipSpace()
                a.append(try value())
                skipSpace()
                guard pos < bytes.count else { throw failure("unexpected end of JSON input") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(a) }
                throw failure("expected , or ]")
            }
        case UInt8(ascii: "{"):
            pos += 1
            var o: [Value: Value] = [:]
            skipSpace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                return .object(o)
            }
            while true {
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw failure("expected object key") }
                let k = try string()
                skipSpace()
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw failure("expected :") }
                pos += 1
                skipSpace()
                o[.string(k)] = try value()
                skipSpace()
                guard pos < bytes.count else { throw failure("unexpected end of JSON input") }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(o) }
                throw failure("expected , or }")
            }
        default:
            return .number(try number())
        }
    }

    private mutating func number() throws -> Number {
        let start = pos
        var isFloat = false
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        while pos < bytes.count {
            let b = bytes[pos]
            if b >= 48 && b <= 57 { pos += 1; continue }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                isFloat = true
                pos += 1
                continue
            }
            break
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard !text.isEmpty, text != "-" else { throw failure("invalid character in JSON") }
        if !isFloat {
            if let i = Int(text) { return .int(i) }
            if let b = BigInt(text) { return .integer(b) }
        }
        guard let d = Double(text) else { throw failure("invalid number \(text)") }
        return .float(d)
    }

    private mutating func string() throws -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw failure("unterminated string") }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: "\"") { break }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                continue
            }
            guard pos < bytes.count else { throw failure("unterminated string") }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let low = try hex4()
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                }
                out.append(contentsOf: Array(String(UnicodeScalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16) else {
            throw failure("invalid unicode escape")
        }
        pos += 4
        return v
    }
}
