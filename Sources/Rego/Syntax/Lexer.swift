/// Splits Rego source into tokens. Newlines are not tokens; each token records whether one came
/// before it, because Rego separates body expressions by newline or `;`.
struct Lexer {
    private let bytes: [UInt8]
    private let file: String
    private var pos = 0
    private var row = 1
    private var lineStart = 0
    private let rowOffset: Int
    private let colOffset: Int

    init(_ source: String, file: String, row: Int = 1, col: Int = 1) {
        bytes = Array(source.utf8)
        self.file = file
        rowOffset = row - 1
        colOffset = col - 1
    }

    private func location(at offset: Int) -> SourceLocation {
        let c = offset - lineStart + 1
        return SourceLocation(file: file, row: row + rowOffset, col: row == 1 ? c + colOffset : c)
    }

    private func error(_ message: String, at offset: Int) -> RegoError {
        RegoError(.parse, message, location(at: offset))
    }

    /// Tokenizes the whole source.
    mutating func tokenize() throws -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 3)
        while true {
            let newline = skipTrivia()
            let start = pos
            let loc = location(at: start)
            guard pos < bytes.count else {
                tokens.append(Token(kind: .eof, location: loc, offset: start, newlineBefore: true))
                return tokens
            }
            let kind = try next()
            tokens.append(Token(kind: kind, location: loc, offset: start, newlineBefore: newline || tokens.isEmpty))
        }
    }

    private mutating func skipTrivia() -> Bool {
        var newline = false
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\n") {
                newline = true
                pos += 1
                row += 1
                lineStart = pos
            } else if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                pos += 1
            } else if b == UInt8(ascii: "#") {
                while pos < bytes.count && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            } else {
                break
            }
        }
        return newline
    }

    private static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == 95
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private mutating func next() throws -> Token.Kind {
        let b = bytes[pos]
        if Lexer.isIdentStart(b) {
            let start = pos
            while pos < bytes.count && (Lexer.isIdentStart(bytes[pos]) || Lexer.isDigit(bytes[pos])) { pos += 1 }
            return .ident(String(decoding: bytes[start..<pos], as: UTF8.self))
        }
        if Lexer.isDigit(b) || (b == UInt8(ascii: ".") && pos + 1 < bytes.count && Lexer.isDigit(bytes[pos + 1])) {
            return .number(try number())
        }
        if b == UInt8(ascii: "\"") {
            pos += 1
            return .string(try quoted())
        }
        if b == UInt8(ascii: "`") {
            pos += 1
            return .rawString(try raw())
        }
        if b == UInt8(ascii: "$") && pos + 1 < bytes.count
            && (bytes[pos + 1] == UInt8(ascii: "\"") || bytes[pos + 1] == UInt8(ascii: "`")) {
            let isRaw = bytes[pos + 1] == UInt8(ascii: "`")
            pos += 2
            return .template(try template(raw: isRaw), raw: isRaw)
        }
        let two = pos + 1 < bytes.count ? String(decoding: bytes[pos...pos + 1], as: UTF8.self) : ""
        if [":=", "==", "!=", "<=", ">="].contains(two) {
            pos += 2
            return .punct(two)
        }
        let one = String(UnicodeScalar(b))
        if "{}[]().,;:=<>+-*/%&|".contains(one) {
            pos += 1
            return .punct(one)
        }
        throw error("illegal token", at: pos)
    }

    private mutating func number() throws -> String {
        let start = pos
        while pos < bytes.count && Lexer.isDigit(bytes[pos]) { pos += 1 }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "."), pos + 1 < bytes.count, Lexer.isDigit(bytes[pos + 1]) {
            pos += 1
            while pos < bytes.count && Lexer.isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            var p = pos + 1
            if p < bytes.count && (bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-")) { p += 1 }
            if p < bytes.count && Lexer.isDigit(bytes[p]) {
                pos = p
                while pos < bytes.count && Lexer.isDigit(bytes[pos]) { pos += 1 }
            }
        }
        if pos < bytes.count && (Lexer.isIdentStart(bytes[pos]) || bytes[pos] == UInt8(ascii: ".")) {
            throw error("illegal number format", at: start)
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private mutating func escape(into out: inout [UInt8]) throws {
        guard pos < bytes.count else { throw error("non-terminated string", at: pos) }
        let e = bytes[pos]
        pos += 1
        switch e {
        case UInt8(ascii: "\""): out.append(e)
        case UInt8(ascii: "\\"): out.append(e)
        case UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(8)
        case UInt8(ascii: "f"): out.append(12)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "{"), UInt8(ascii: "}"): out.append(e)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar < 0xDC00, pos + 1 < bytes.count,
               bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                pos += 2
                let low = try hex4()
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            out.append(contentsOf: Array(String(UnicodeScalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
        default:
            throw error("illegal escape sequence", at: pos - 2)
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16) else {
            throw error("illegal escape sequence", at: pos)
        }
        pos += 4
        return v
    }

    private mutating func quoted() throws -> String {
        let start = pos - 1
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") else { throw error("non-terminated string", at: start) }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") { try escape(into: &out) } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func raw() throws -> String {
        let start = pos - 1
        let begin = pos
        while pos < bytes.count && bytes[pos] != UInt8(ascii: "`") {
            if bytes[pos] == UInt8(ascii: "\n") {
                row += 1
                lineStart = pos + 1
            }
            pos += 1
        }
        guard pos < bytes.count else { throw error("non-terminated raw string", at: start) }
        pos += 1
        return String(decoding: bytes[begin..<pos - 1], as: UTF8.self)
    }

    /// Reads a template string body up to its closing quote, splitting out `{expression}` parts.
    private mutating func template(raw isRaw: Bool) throws -> [TemplateChunk] {
        let start = pos - 2
        let close = isRaw ? UInt8(ascii: "`") : UInt8(ascii: "\"")
        var chunks: [TemplateChunk] = []
        var text: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw error("non-terminated string", at: start) }
            let b = bytes[pos]
            if b == close {
                pos += 1
                break
            }
            if b == UInt8(ascii: "\n") {
                if !isRaw { throw error("non-terminated string", at: start) }
                row += 1
                lineStart = pos + 1
            }
            if b == UInt8(ascii: "\\") && !isRaw {
                pos += 1
                try escape(into: &text)
                continue
            }
            if b == UInt8(ascii: "\\") && isRaw && pos + 1 < bytes.count
                && (bytes[pos + 1] == UInt8(ascii: "{") || bytes[pos + 1] == UInt8(ascii: "}")) {
                text.append(bytes[pos + 1])
                pos += 2
                continue
            }
            if b == UInt8(ascii: "{") {
                if !text.isEmpty { chunks.append(.text(String(decoding: text, as: UTF8.self))) }
                text = []
                pos += 1
                let exprStart = pos
                let loc = location(at: exprStart)
                var depth = 0
                while pos < bytes.count {
                    let c = bytes[pos]
                    if c == UInt8(ascii: "\"") {
                        pos += 1
                        _ = try quoted()
                        continue
                    }
                    if c == UInt8(ascii: "`") {
                        pos += 1
                        _ = try raw()
                        continue
                    }
                    if c == UInt8(ascii: "{") { depth += 1 }
                    if c == UInt8(ascii: "}") {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    pos += 1
                }
                guard pos < bytes.count else { throw error("non-terminated string", at: start) }
                chunks.append(.expression(String(decoding: bytes[exprStart..<pos], as: UTF8.self), row: loc.row, col: loc.col))
                pos += 1
                continue
            }
            text.append(b)
            pos += 1
        }
        if !text.isEmpty { chunks.append(.text(String(decoding: text, as: UTF8.self))) }
        return chunks
    }
}
