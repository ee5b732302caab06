/// Go's byte-oriented string functions. Swift's `String` compares by canonical equivalence, Go
/// by bytes; Rego follows Go, so every search and split here works on UTF-8 bytes.
enum GoStrings {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func string(_ b: some Collection<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool { s.utf8.starts(with: prefix.utf8) }

    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        s.utf8.count >= suffix.utf8.count && s.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    static func index(_ haystack: [UInt8], _ needle: [UInt8], from start: Int = 0) -> Int? {
        if needle.isEmpty { return start }
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func contains(_ s: String, _ sub: String) -> Bool { index(bytes(s), bytes(sub)) != nil }

    /// `strings.Count`: non-overlapping occurrences; an empty needle counts rune boundaries.
    static func count(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return s.unicodeScalars.count + 1 }
        let h = bytes(s), n = bytes(sub)
        var total = 0, from = 0
        while let i = index(h, n, from: from) { total += 1; from = i + n.count }
        return total
    }

    /// `strings.Split`: an empty separator splits into runes.
    static func split(_ s: String, _ sep: String) -> [String] {
        if sep.isEmpty { return s.unicodeScalars.map { String($0) } }
        let h = bytes(s), n = bytes(sep)
        var parts: [String] = [], from = 0
        while let i = index(h, n, from: from) {
            parts.append(string(h[from..<i]))
            from = i + n.count
        }
        parts.append(string(h[from...]))
        return parts
    }

    /// `strings.NewReplacer(pairs...).Replace(s)`: at each position the earliest listed pair
    /// that matches wins; matches never overlap; an empty old string matches between runes.
    static func replace(_ s: String, pairs: [(old: String, new: String)]) -> String {
        let h = bytes(s)
        let olds = pairs.map { bytes($0.old) }
        let news = pairs.map { bytes($0.new) }
        let emptyIndex = olds.firstIndex(where: \.isEmpty)
        var out: [UInt8] = []
        out.reserveCapacity(h.count)
        var i = 0
        while i <= h.count {
            var matched = false
            for (k, old) in olds.enumerated() where !old.isEmpty {
                if h.count - i >= old.count, h[i..<i + old.count].elementsEqual(old) {
                    out += news[k]
                    i += old.count
                    matched = true
                    break
                }
            }
            if matched {
                if i == h.count, let e = emptyIndex { out += news[e]; break }
                continue
            }
            if let e = emptyIndex { out += news[e] }
            if i == h.count { break }
            // Copy one whole rune so an empty pattern never lands inside a UTF-8 sequence.
            let width = runeWidth(h[i])
            out += h[i..<min(h.count, i + width)]
            i += width
        }
        return string(out)
    }

    static func runeWidth(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0..<0xF8: return 4
        default: return 1
        }
    }

    /// `strings.Trim`-family cutsets are sets of runes.
    static func trimLeft(_ s: String, _ cutset: Set<Unicode.Scalar>) -> String {
        let scalars = s.unicodeScalars
        guard let start = scalars.firstIndex(where: { !cutset.contains($0) }) else { return "" }
        return String(scalars[start...])
    }

    static func trimRight(_ s: String, _ cutset: Set<Unicode.Scalar>) -> String {
        let scalars = s.unicodeScalars
        guard let end = scalars.lastIndex(where: { !cutset.contains($0) }) else { return "" }
        return String(scalars[...end])
    }

    /// `unicode.IsSpace`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return c.value > 0xFF && c.properties.isWhitespace
        }
    }

    /// Go's simple per-rune case mapping; a rune whose mapping is not a single rune stays as it is.
    static func mapCase(_ s: String, upper: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if scalar.isASCII {
                let v = scalar.value
                if upper, (0x61...0x7A).contains(v) { out.append(Unicode.Scalar(v - 32)!); continue }
                if !upper, (0x41...0x5A).contains(v) { out.append(Unicode.Scalar(v + 32)!); continue }
                out.append(scalar)
                continue
            }
            if !upper, scalar == "\u{130}" { out.append("i"); continue }
            let mapped = upper ? scalar.properties.uppercaseMapping : scalar.properties.lowercaseMapping
            let ms = mapped.unicodeScalars
            if ms.count == 1 { out.append(ms.first!) } else { out.append(scalar) }
        }
        return String(out)
    }
}
