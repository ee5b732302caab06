/// The Perl (`\d \s \w`) and POSIX (`[:alpha:]`) classes, which RE2 defines over ASCII only.
enum PerlClass {
    static func named(_ c: Unicode.Scalar) -> ScalarClass {
        var cls: ScalarClass
        switch c {
        case "d", "D": cls = ScalarClass(ranges: [0x30...0x39])
        case "s", "S": cls = ScalarClass(ranges: [0x09...0x0A, 0x0C...0x0D, 0x20...0x20])
        default: cls = ScalarClass(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
        }
        cls.negated = c.properties.isUppercase
        return cls
    }

    private static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
        "alpha": [0x41...0x5A, 0x61...0x7A],
        "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20],
        "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": [0x30...0x39],
        "graph": [0x21...0x7E],
        "lower": [0x61...0x7A],
        "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A],
        "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
        "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]

    /// The index after a `[:...:]` that starts at `start`, whatever the name.
    static func posixEnd(_ chars: [Unicode.Scalar], at start: Int) -> Int? {
        var j = start + 2
        while j + 1 < chars.count {
            if chars[j] == ":" && chars[j + 1] == "]" { return j + 2 }
            if chars[j] == "]" { return nil }
            j += 1
        }
        return nil
    }

    /// `[:name:]` or `[:^name:]` at `start`, with the index after it.
    static func posix(_ chars: [Unicode.Scalar], at start: Int) -> (ScalarClass, Int)? {
        var j = start + 2
        var negated = false
        if j < chars.count, chars[j] == "^" { negated = true; j += 1 }
        var name = ""
        while j < chars.count, chars[j] != ":" { name.unicodeScalars.append(chars[j]); j += 1 }
        guard j + 1 < chars.count, chars[j] == ":", chars[j + 1] == "]", let ranges = posixClasses[name] else { return nil }
        return (ScalarClass(ranges: ranges, negated: negated), j + 2)
    }
}

/// `\p{...}` names: general categories (one or two letters), `Any`, and the common scripts.
enum UnicodeClasses {
    private static let categories: [String: Set<Unicode.GeneralCategory>] = [
        "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter], "Lm": [.modifierLetter],
        "Lo": [.otherLetter], "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
        "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber], "Pc": [.connectorPunctuation],
        "Pd": [.dashPunctuation], "Ps": [.openPunctuation], "Pe": [.closePunctuation], "Pi": [.initialPunctuation],
        "Pf": [.finalPunctuation], "Po": [.otherPunctuation], "Sm": [.mathSymbol], "Sc": [.currencySymbol],
        "Sk": [.modifierSymbol], "So": [.otherSymbol], "Zs": [.spaceSeparator], "Zl": [.lineSeparator],
        "Zp": [.paragraphSeparator], "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
    ]

    private static let scripts: [String: [ClosedRange<UInt32>]] = [
        "Latin": [0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F,
                  0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF3A, 0xFF41...0xFF5A],
        "Greek": [0x370...0x373, 0x375...0x377, 0x37A...0x37D, 0x37F...0x37F, 0x384...0x384, 0x386...0x386,
                  0x388...0x3E1, 0x3F0...0x3FF, 0x1F00...0x1FFE],
        "Cyrillic": [0x400...0x52F, 0x1C80...0x1C88, 0x2DE0...0x2DFF, 0xA640...0xA69F],
        "Armenian": [0x531...0x58A],
        "Hebrew": [0x591...0x5F4, 0xFB1D...0xFB4F],
        "Arabic": [0x600...0x6FF, 0x750...0x77F, 0x8A0...0x8FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF],
        "Devanagari": [0x900...0x97F],
        "Thai": [0xE01...0xE5B],
        "Hangul": [0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7A3],
        "Hiragana": [0x3041...0x309F],
        "Katakana": [0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9D],
        "Han": [0x2E80...0x2FD5, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3400...0x4DBF,
                0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F],
    ]

    static func named(_ name: String) -> ScalarClass? {
        if name == "Any" { return ScalarClass(ranges: [0...0x10FFFF]) }
        if let set = categories[name] { return ScalarClass(categories: set) }
        if name.count == 1 {
            let group = categories.filter { $0.key.hasPrefix(name) }.values.reduce(into: Set<Unicode.GeneralCategory>()) { $0.formUnion($1) }
            if name == "C" { return ScalarClass(categories: group.union([.unassigned])) }
            return group.isEmpty ? nil : ScalarClass(categories: group)
        }
        if let ranges = scripts[name] { return ScalarClass(ranges: ranges) }
        return nil
    }
}

/// Simple case folding for `(?i)`.
enum CaseFold {
    /// Scalars that fold together with `c` (Unicode simple case mapping, applied both ways).
    static func orbit(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = [c]
        func add(_ s: String) {
            let scalars = s.unicodeScalars
            if scalars.count == 1, let x = scalars.first, !out.contains(x) { out.append(x) }
        }
        var k = 0
        while k < out.count && k < 4 {
            let p = out[k].properties
            add(p.lowercaseMapping)
            add(p.uppercaseMapping)
            add(p.titlecaseMapping)
            k += 1
        }
        for group in extraOrbits where group.contains(c) {
            for x in group where !out.contains(x) { out.append(x) }
        }
        return out
    }

    /// Scalars that fold together although plain case mapping does not reach them all.
    private static let extraOrbits: [[Unicode.Scalar]] = [
        ["K", "k", "\u{212A}"], ["S", "s", "\u{17F}"], ["\u{C5}", "\u{E5}", "\u{212B}"],
        ["\u{3A3}", "\u{3C3}", "\u{3C2}"], ["\u{398}", "\u{3B8}", "\u{3D1}", "\u{3F4}"], ["\u{392}", "\u{3B2}", "\u{3D0}"],
        ["\u{395}", "\u{3B5}", "\u{3F5}"], ["\u{39A}", "\u{3BA}", "\u{3F0}"], ["\u{3A0}", "\u{3C0}", "\u{3D6}"],
        ["\u{3A1}", "\u{3C1}", "\u{3F1}"], ["\u{3A6}", "\u{3C6}", "\u{3D5}"], ["\u{3A9}", "\u{3C9}", "\u{2126}"],
        ["\u{39C}", "\u{3BC}", "\u{B5}"], ["\u{399}", "\u{3B9}", "\u{345}", "\u{1FBE}"],
    ]

    /// Adds the fold orbit of every member of small ranges (large ranges are left as written).
    static func close(_ cls: ScalarClass) -> ScalarClass {
        var out = cls
        for r in cls.ranges where r.count <= 1024 {
            for v in r {
                guard let c = Unicode.Scalar(v) else { continue }
                for x in orbit(c) where x != c { out.ranges.append(x.value...x.value) }
            }
        }
        return out
    }
}
