import SandboxPolicy

/// Parses `--memory` and `--pids` values.
enum SizeText {
    /// `1073741824`, `512K`, `512M`, `8G`, `1T` (binary units; an optional `iB`/`B`).
    static func bytes(_ text: String, option: String) throws(CapabilityError) -> UInt64 {
        let expected = "a size such as 512M or 8G (K, M, G, T are powers of 1024), at least 16M"
        var digits = Substring(text.uppercased())
        for suffix in ["IB", "B"] where digits.hasSuffix(suffix) { digits = digits.dropLast(suffix.count) }
        var shift: UInt64 = 0
        if let unit = digits.last, let power = ["K": 10, "M": 20, "G": 30, "T": 40][String(unit)] {
            shift = UInt64(power)
            digits = digits.dropLast()
        }
        guard let value = UInt64(digits), value <= (UInt64.max >> shift) else { throw .limit(option: option, text: text, expected: expected) }
        let bytes = value << shift
        guard bytes >= 16 << 20 else { throw .limit(option: option, text: text, expected: expected) }
        return bytes
    }

    static func count(_ text: String, option: String) throws(CapabilityError) -> UInt64 {
        guard let value = UInt64(text), value >= 8, value <= 4_194_304 else {
            throw .limit(option: option, text: text, expected: "a number of processes from 8 to 4194304")
        }
        return value
    }
}
