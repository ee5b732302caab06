/// A glob without alternatives, run bit-parallel: one bit per pattern position, advanced by
/// shifts and masks for each scalar of the subject (shift-and with self-loops for `*` and
/// `**`). Up to 63 positions; longer globs and globs with `{...}` use the automaton.
struct GlobBitMatcher: Sendable {
    static let maxPositions = 63

    /// Positions whose scalar test accepts each ASCII scalar (delimiter rules applied).
    private var asciiAccept = [UInt64](repeating: 0, count: 128)
    /// Positions that accept a given non-ASCII literal scalar.
    private var otherLiterals: [UInt32: UInt64] = [:]
    /// `?` positions, which accept any scalar that is not a delimiter.
    private var singleMask: UInt64 = 0
    /// Character-list positions, tested one by one for non-ASCII scalars.
    private var classes: [(bit: UInt64, set: ScalarClass)] = []
    /// `*` positions: they stay active over non-delimiters. `**` positions stay over anything.
    private var starMask: UInt64 = 0
    private var superMask: UInt64 = 0
    private var asciiDelimiter = [Bool](repeating: false, count: 128)
    private var otherDelimiters: [Unicode.Scalar] = []
    private var acceptBit: UInt64 = 0

    /// nil when the glob needs the general automaton.
    init?(_ nodes: [GlobPattern.Node], delimiters: [Unicode.Scalar]) {
        guard nodes.count <= Self.maxPositions else { return nil }
        for d in delimiters {
            if d.isASCII { asciiDelimiter[Int(d.value)] = true } else { otherDelimiters.append(d) }
        }
        for (i, node) in nodes.enumerated() {
            let bit: UInt64 = 1 << UInt64(i)
            switch node {
            case .literal(let c):
                if c.isASCII { asciiAccept[Int(c.value)] |= bit } else { otherLiterals[c.value, default: 0] |= bit }
            case .single:
                singleMask |= bit
                for v in 0..<128 where !asciiDelimiter[v] { asciiAccept[v] |= bit }
            case .list(let set):
                classes.append((bit, set))
                for v in 0..<128 where set.contains(Unicode.Scalar(UInt8(v))) { asciiAccept[v] |= bit }
            case .any: starMask |= bit
            case .superAny: superMask |= bit
            case .alternatives: return nil
            }
        }
        acceptBit = 1 << UInt64(nodes.count)
    }

    private func closure(_ x: UInt64) -> UInt64 {
        var y = x
        let loops = starMask | superMask
        while true {
            let next = y | ((y & loops) << 1)
            if next == y { return y }
            y = next
        }
    }

    func matches(_ subject: String) -> Bool {
        var state = closure(1)
        for c in subject.unicodeScalars {
            let accept: UInt64
            let delimiter: Bool
            if c.isASCII {
                accept = asciiAccept[Int(c.value)]
                delimiter = asciiDelimiter[Int(c.value)]
            } else {
                delimiter = otherDelimiters.contains(c)
                var m = otherLiterals[c.value] ?? 0
                if !delimiter { m |= singleMask }
                for entry in classes where entry.set.contains(c) { m |= entry.bit }
                accept = m
            }
            let stay = superMask | (delimiter ? 0 : starMask)
            state = closure(((state & accept) << 1) | (state & stay))
            if state == 0 { return false }
        }
        return state & acceptBit != 0
    }
}
