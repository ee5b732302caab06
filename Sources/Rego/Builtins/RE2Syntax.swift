/// RE2 syntax (as Go's `regexp/syntax` accepts it with Perl flags), parsed to a tree.
/// Everything RE2 rejects is rejected here with Go's message: backreferences, lookaround,
/// possessive or stacked repetition, repeat counts above 1000.
enum RE2Syntax {
    struct SyntaxError: Error, Equatable {
        let message: String
        init(_ code: String, _ text: String) { message = "error parsing regexp: \(code): `\(text)`" }
    }

    indirect enum Node {
        case empty
        case scalar(Unicode.Scalar)
        case set(ScalarClass)
        case any(newline: Bool)
        case assertion(Automaton.Assertion)
        case concat([Node])
        case alternate([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotNewline = false
    }

    static let maxRepeat = 1000

    static func parse(_ pattern: String) throws -> Node {
        var parser = Parser(chars: Array(pattern.unicodeScalars), source: pattern)
        let node = try parser.alternation(depth: 0)
        if parser.i < parser.chars.count {
            // Only an unmatched `)` stops the top level early.
            throw SyntaxError("unexpected )", pattern)
        }
        return node
    }

    struct Parser {
        let chars: [Unicode.Scalar]
        let source: String
        var i = 0
        var flags = Flags()

        func text(_ from: Int, _ to: Int) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: chars[from..<min(to, chars.count)])
            return String(v)
        }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < chars.count ? chars[i + offset] : nil }

        mutating func alternation(depth: Int) throws -> Node {
            // Bounded so that parsing and compiling stay within a secondary thread's stack.
            if depth > 250 { throw SyntaxError("expression nests too deeply", source) }
            var branches = [try concatenation(depth: depth)]
            while peek() == "|" {
                i += 1
                branches.append(try concatenation(depth: depth))
            }
            return branches.count == 1 ? branches[0] : .alternate(branches)
        }

        mutating func concatenation(depth: Int) throws -> Node {
            var items: [Node] = []
            var lastRepeatStart: Int?
            while let c = peek(), c != "|", c != ")" {
                if c == "*" || c == "+" || c == "?" || (c == "{" && repeatCount(at: i) != nil) {
                    let opStart = i
                    guard let last = items.popLast() else {
                        let end = c == "{" ? repeatCount(at: i)!.end : i + 1
                        throw SyntaxError("missing argument to repetition operator", text(i, end))
                    }
                    var minCount = 0, maxCount: Int? = nil
                    switch c {
                    case "*": i += 1
                    case "+": minCount = 1; i += 1
                    case "?": maxCount = 1; i += 1
                    default:
                        let r = repeatCount(at: i)!
                        i = r.end
                        if r.min > RE2Syntax.maxRepeat || (r.max ?? 0) > RE2Syntax.maxRepeat || (r.max.map { $0 < r.min } ?? false) {
                            throw SyntaxError("invalid repeat count", text(opStart, i))
                        }
                        minCount = r.min
                        maxCount = r.max
                    }
                    if peek() == "?" { i += 1 }
                    if let previous = lastRepeatStart {
                        throw SyntaxError("invalid nested repetition operator", text(previous, i))
                    }
                    lastRepeatStart = opStart
                    items.append(.repeated(last, min: minCount, max: maxCount))
                    continue
                }
                lastRepeatStart = nil
                if let atom = try atom(depth: depth) { items.append(atom) }
            }
            if items.isEmpty { return .empty }
            return items.count == 1 ? items[0] : .concat(items)
        }

        /// `{n}`, `{n,}` or `{n,m}` starting at `start`, or nil when the brace is a literal.
        func repeatCount(at start: Int) -> (min: Int, max: Int?, end: Int)? {
            var j = start + 1
            func number() -> Int? {
                let s = j
                var n = 0
                while j < chars.count, let d = Int(String(chars[j])), chars[j].isASCII {
                    n = min(n * 10 + d, 100_000)
                    j += 1
                }
                return j > s ? n : nil
            }
            guard let lo = number() else { return nil }
            var hi: Int? = lo
            if j < chars.count, chars[j] == "," {
                j += 1
                hi = j < chars.count && chars[j] != "}" ? number() : nil
                if hi == nil, j < chars.count, chars[j] != "}" { return nil }
            }
            guard j < chars.count, chars[j] == "}" else { return nil }
            return (lo, hi, j + 1)
        }

        /// One atom, or nil for a flag group that only changes flags.
        mutating func atom(depth: Int) throws -> Node? {
            let c = chars[i]
            switch c {
            case "(":
                return try group(depth: depth)
            case "[":
                return .set(try characterClass())
            case ".":
                i += 1
                return .any(newline: flags.dotNewline)
            case "^":
                i += 1
                return .assertion(flags.multiLine ? .beginLine : .beginText)
            case "$":
                i += 1
                return .assertion(flags.multiLine ? .endLine : .endText)
            case "\\":
                return try escape()
            default:
                i += 1
                return literal(c)
            }
        }

        func literal(_ c: Unicode.Scalar) -> Node {
            guard flags.caseInsensitive else { return .scalar(c) }
            let orbit = CaseFold.orbit(c)
            if orbit.count == 1 { return .scalar(c) }
            return .set(ScalarClass(ranges: orbit.map { $0.value...$0.value }))
        }

        mutating func group(depth: Int) throws -> Node? {
            let start = i
            i += 1
            let saved = flags
            if peek() == "?" {
                if peek(1) == "P" && peek(2) == "<" || peek(1) == "<" && peek(2) != "=" && peek(2) != "!" {
                    i += peek(1) == "P" ? 3 : 2
                    let nameStart = i
                    while let c = peek(), c != ">" { i += 1 }
                    guard peek() == ">" else { throw SyntaxError("invalid named capture", text(start, chars.count)) }
                    let name = text(nameStart, i)
                    i += 1
                    guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && (Automaton.isWord($0)) }) else {
                        throw SyntaxError("invalid named capture", text(start, i))
                    }
                } else {
                    // Flags: (?flags) or (?flags:re).
                    var j = i + 1
                    var negate = false
                    var newFlags = flags
                    var sawFlag = false
                    while j < chars.count {
                        let f = chars[j]
                        switch f {
                        case "i": newFlags.caseInsensitive = !negate; sawFlag = true
                        case "m": newFlags.multiLine = !negate; sawFlag = true
                        case "s": newFlags.dotNewline = !negate; sawFlag = true
                        case "U": sawFlag = true
                        case "-":
                            if negate { throw SyntaxError("invalid or unsupported Perl syntax", text(start, j + 1)) }
                            negate = true
                            sawFlag = false
                        case ":", ")":
                            if negate && !sawFlag {
                                throw SyntaxError("invalid or unsupported Perl syntax", text(start, j + 1))
                            }
                            if f == ")" {
                                flags = newFlags
                                i = j + 1
                                return nil
                            }
                            flags = newFlags
                            i = j + 1
                            let body = try alternation(depth: depth + 1)
                            guard peek() == ")" else { throw SyntaxError("missing closing )", source) }
                            i += 1
                            flags = saved
                            return body
                        default:
                            throw SyntaxError("invalid or unsupported Perl syntax", text(start, j + 1))
                        }
                        j += 1
                    }
                    throw SyntaxError("invalid or unsupported Perl syntax", text(start, chars.count))
                }
            }
            let body = try alternation(depth: depth + 1)
            guard peek() == ")" else { throw SyntaxError("missing closing )", source) }
            i += 1
            flags = saved
            return body
        }

        mutating func escape() throws -> Node {
            let start = i
            i += 1
            guard let c = peek() else { throw SyntaxError("trailing backslash at end of expression", "") }
            switch c {
            case "A": i += 1; return .assertion(.beginText)
            case "z": i += 1; return .assertion(.endText)
            case "b": i += 1; return .assertion(.wordBoundary)
            case "B": i += 1; return .assertion(.notWordBoundary)
            case "Q":
                i += 1
                var items: [Node] = []
                while i < chars.count {
                    if chars[i] == "\\", peek(1) == "E" { i += 2; break }
                    items.append(literal(chars[i]))
                    i += 1
                }
                return items.isEmpty ? .empty : .concat(items)
            default:
                i = start
                if let cls = try classEscape() { return .set(cls) }
                return literal(try scalarEscape())
            }
        }

        /// `\d \s \w \p{..}` and their negations, or nil when the escape is not a class.
        mutating func classEscape() throws -> ScalarClass? {
            let start = i
            guard let c = peek(1) else { return nil }
            switch c {
            case "d", "D", "s", "S", "w", "W":
                i += 2
                var cls = PerlClass.named(c)
                if flags.caseInsensitive { cls = CaseFold.close(cls) }
                return cls
            case "p", "P":
                i += 2
                var name: String
                if peek() == "{" {
                    let open = i
                    while let x = peek(), x != "}" { i += 1 }
                    guard peek() == "}" else { throw SyntaxError("invalid character class range", text(start, chars.count)) }
                    name = text(open + 1, i)
                    i += 1
                } else {
                    guard let x = peek() else { throw SyntaxError("invalid character class range", text(start, i)) }
                    name = String(Character(x))
                    i += 1
                }
                var negated = c == "P"
                if name.hasPrefix("^") { negated.toggle(); name.removeFirst() }
                guard var cls = UnicodeClasses.named(name) else {
                    throw SyntaxError("invalid character class range", text(start, i))
                }
                if negated { cls.negated.toggle() }
                return cls
            default:
                return nil
            }
        }

        /// A single scalar written as an escape (`\n`, `\x41`, `\x{263a}`, `\012`, `\.`).
        mutating func scalarEscape() throws -> Unicode.Scalar {
            let start = i
            i += 1
            guard let c = peek() else { throw SyntaxError("trailing backslash at end of expression", "") }
            i += 1
            switch c {
            case "a": return "\u{07}"
            case "f": return "\u{0C}"
            case "t": return "\t"
            case "n": return "\n"
            case "r": return "\r"
            case "v": return "\u{0B}"
            case "0"..."7":
                // A lone non-zero digit would be a backreference, which RE2 does not have.
                if c != "0", !(peek().map { ("0"..."7").contains($0) } ?? false) {
                    throw SyntaxError("invalid escape sequence", text(start, i))
                }
                var value = c.value - 48
                var digits = 1
                while digits < 3, let d = peek(), ("0"..."7").contains(d) {
                    value = value * 8 + d.value - 48
                    i += 1
                    digits += 1
                }
                return Unicode.Scalar(value)!
            case "x":
                if peek() == "{" {
                    i += 1
                    var value: UInt32 = 0
                    var count = 0
                    while let d = peek(), let h = Character(d).hexDigitValue, d.isASCII {
                        value = value * 16 + UInt32(h)
                        count += 1
                        i += 1
                        if value > 0x10FFFF { throw SyntaxError("invalid escape sequence", text(start, i)) }
                    }
                    guard count > 0, peek() == "}", let scalar = Unicode.Scalar(value) else {
                        throw SyntaxError("invalid escape sequence", text(start, min(i + 1, chars.count)))
                    }
                    i += 1
                    return scalar
                }
                guard let h1 = peek().flatMap({ $0.isASCII ? Character($0).hexDigitValue : nil }),
                      let h2 = peek(1).flatMap({ $0.isASCII ? Character($0).hexDigitValue : nil }) else {
                    throw SyntaxError("invalid escape sequence", text(start, min(i + 2, chars.count)))
                }
                i += 2
                return Unicode.Scalar(UInt8(h1 * 16 + h2))
            default:
                if c.isASCII, !(c.properties.isAlphabetic || ("0"..."9").contains(c)) { return c }
                throw SyntaxError("invalid escape sequence", text(start, i))
            }
        }

        mutating func characterClass() throws -> ScalarClass {
            let start = i
            i += 1
            var cls = ScalarClass()
            if peek() == "^" { cls.negated = true; i += 1 }
            var first = true
            var members = ScalarClass()
            while true {
                guard let c = peek() else { throw SyntaxError("missing closing ]", text(start, chars.count)) }
                if c == "]" && !first { i += 1; break }
                first = false
                if c == "[", peek(1) == ":" {
                    if let (posix, end) = PerlClass.posix(chars, at: i) {
                        merge(posix, into: &members)
                        i = end
                        continue
                    }
                    if let close = PerlClass.posixEnd(chars, at: i) {
                        throw SyntaxError("invalid character class range", text(i, close))
                    }
                }
                if c == "\\", let sub = try classEscape() {
                    merge(sub, into: &members)
                    continue
                }
                let rangeStart = i
                let lo = try classScalar()
                if peek() == "-", let next = peek(1), next != "]" {
                    i += 1
                    let hi = try classScalar()
                    guard lo.value <= hi.value else {
                        throw SyntaxError("invalid character class range", text(rangeStart, i))
                    }
                    members.ranges.append(lo.value...hi.value)
                } else {
                    members.ranges.append(lo.value...lo.value)
                }
            }
            if flags.caseInsensitive { members = CaseFold.close(members) }
            cls.ranges = members.ranges
            cls.categories = members.categories
            cls.negatedCategories = members.negatedCategories
            if members.negated {
                // A negated sub-class (\D, [:^alpha:]) inside a class: fold it through its complement.
                cls.ranges = complement(members.ranges)
            }
            return cls
        }

        private func merge(_ sub: ScalarClass, into members: inout ScalarClass) {
            if sub.negated {
                if !sub.categories.isEmpty {
                    members.negatedCategories.formUnion(sub.categories)
                } else {
                    members.ranges += complement(sub.ranges)
                }
            } else {
                members.ranges += sub.ranges
                members.categories.formUnion(sub.categories)
            }
        }

        private func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
            var out: [ClosedRange<UInt32>] = []
            var next: UInt32 = 0
            for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
                next = max(next, r.upperBound &+ 1)
                if r.upperBound == 0x10FFFF { return out }
            }
            if next <= 0x10FFFF { out.append(next...0x10FFFF) }
            return out
        }

        mutating func classScalar() throws -> Unicode.Scalar {
            let c = chars[i]
            if c == "\\" { return try scalarEscape() }
            i += 1
            return c
        }
    }
}
