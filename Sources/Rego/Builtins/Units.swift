import BigInt

extension BuiltinRegistry {
    /// units.parse (SI and binary suffixes, `m` for milli) and units.parse_bytes (byte
    /// suffixes, case-insensitive), computed exactly on decimal fractions.
    static let units: [Builtin] = [
        Builtin.function("units.parse", [.string], .number) { ops in
            let s = try ops.string(1).replacingOccurrences(of: "\"", with: "")
            if s.contains(" ") { throw ops.failure("spaces not allowed in resource strings") }
            guard let (number, suffix) = UnitText.split(s) else { throw ops.failure("exponent too large") }
            if number.isEmpty { throw ops.failure("no amount provided") }
            // Only the letters after the first are case-insensitive, so `m` and `M` differ.
            var unit = suffix
            if unit.count > 1 { unit = String(unit.prefix(1)) + unit.dropFirst().lowercased() }
            let scale: UnitText.Scale
            switch unit {
            case "m": scale = .milli
            case "": scale = .times(1)
            case "k", "K": scale = .times(1000)
            case "ki", "Ki": scale = .times(BigInt(1) << 10)
            case "M": scale = .times(BigInt(1000).power(2))
            case "mi", "Mi": scale = .times(BigInt(1) << 20)
            case "g", "G": scale = .times(BigInt(1000).power(3))
            case "gi", "Gi": scale = .times(BigInt(1) << 30)
            case "t", "T": scale = .times(BigInt(1000).power(4))
            case "ti", "Ti": scale = .times(BigInt(1) << 40)
            case "p", "P": scale = .times(BigInt(1000).power(5))
            case "pi", "Pi": scale = .times(BigInt(1) << 50)
            case "e", "E": scale = .times(BigInt(1000).power(6))
            case "ei", "Ei": scale = .times(BigInt(1) << 60)
            default: throw ops.failure("unit \(unit) not recognized")
            }
            guard let decimal = UnitText.Decimal(number) else { throw ops.failure("could not parse amount to a number") }
            return .number(decimal.scaled(scale).number)
        },
        Builtin.function("units.parse_bytes", [.string], .number) { ops in
            let s = try ops.string(1).lowercased().replacingOccurrences(of: "\"", with: "")
            if s.contains(" ") { throw ops.failure("spaces not allowed in resource strings") }
            guard let (number, unit) = UnitText.split(s) else { throw ops.failure("exponent too large") }
            if number.isEmpty { throw ops.failure("no byte amount provided") }
            let factor: BigInt
            switch unit {
            case "": factor = 1
            case "kb", "k": factor = 1000
            case "kib", "ki": factor = BigInt(1) << 10
            case "mb", "m": factor = BigInt(1000).power(2)
            case "mib", "mi": factor = BigInt(1) << 20
            case "gb", "g": factor = BigInt(1000).power(3)
            case "gib", "gi": factor = BigInt(1) << 30
            case "tb", "t": factor = BigInt(1000).power(4)
            case "tib", "ti": factor = BigInt(1) << 40
            case "pb", "p": factor = BigInt(1000).power(5)
            case "pib", "pi": factor = BigInt(1) << 50
            case "eb", "e": factor = BigInt(1000).power(6)
            case "eib", "ei": factor = BigInt(1) << 60
            default: throw ops.failure("byte unit \(unit) not recognized")
            }
            guard let decimal = UnitText.Decimal(number) else { throw ops.failure("could not parse byte amount to a number") }
            // Whole bytes: the product is truncated toward zero.
            return .number(.integer(decimal.scaled(.times(factor)).truncated))
        },
    ]
}

/// Number-and-suffix text of the units builtins.
enum UnitText {
    static let maxExponentDigits = 6

    enum Scale {
        case times(BigInt)
        case milli
    }

    /// The leading number (digits, dots, signs and a well-formed exponent) and the suffix;
    /// nil when the exponent has too many digits.
    static func split(_ s: String) -> (String, String)? {
        let bytes = Array(s.utf8)
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var boundary = -1
        var i = 0
        scan: while i < bytes.count {
            let b = bytes[i]
            let isExp = b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
            if !(isDigit(b) || b == UInt8(ascii: ".") || isExp || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) {
                boundary = i
                break scan
            }
            if isExp {
                let next = i + 1 < bytes.count ? bytes[i + 1] : nil
                guard let next, isDigit(next) || next == UInt8(ascii: "+") || next == UInt8(ascii: "-") else {
                    boundary = i
                    break scan
                }
                if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { i += 1 }
                var end = i + 1
                while end < bytes.count, isDigit(bytes[end]) { end += 1 }
                if end - (i + 1) > maxExponentDigits { return nil }
            }
            i += 1
        }
        if boundary == -1 { return (s, "") }
        return (String(decoding: bytes[..<boundary], as: UTF8.self), String(decoding: bytes[boundary...], as: UTF8.self))
    }

    /// An exact decimal `mantissa × 10^exponent`, parsed as Go's big.Rat reads decimal text.
    struct Decimal {
        var mantissa: BigInt
        var exponent: Int

        init?(_ text: String) {
            var body = Substring(text)
            var negative = false
            if let f = body.first, f == "+" || f == "-" { negative = f == "-"; body = body.dropFirst() }
            var exp = 0
            if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
                guard let x = Int(body[body.index(after: e)...]) else { return nil }
                exp = x
                body = body[..<e]
            }
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, !(parts.allSatisfy { $0.isEmpty }) else { return nil }
            let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
            guard (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            guard let m = BigInt(String(whole + fraction).isEmpty ? "0" : String(whole + fraction)) else { return nil }
            mantissa = negative ? -m : m
            exponent = exp - fraction.count
        }

        init(mantissa: BigInt, exponent: Int) {
            self.mantissa = mantissa
            self.exponent = exponent
        }

        func scaled(_ scale: Scale) -> Decimal {
            switch scale {
            case .times(let f): return Decimal(mantissa: mantissa * f, exponent: exponent)
            case .milli: return Decimal(mantissa: mantissa, exponent: exponent - 3)
            }
        }

        /// Toward zero.
        var truncated: BigInt {
            if exponent >= 0 { return mantissa * BigInt(10).power(exponent) }
            return mantissa / BigInt(10).power(-exponent)
        }

        /// An integer when exact, otherwise the value rounded to ten decimals as OPA prints it.
        var number: Number {
            if exponent >= 0 { return .integer(mantissa * BigInt(10).power(exponent)) }
            let divisor = BigInt(10).power(-exponent)
            if mantissa % divisor == 0 { return .integer(mantissa / divisor) }
            let tenths = (mantissa * BigInt(10).power(10) * 2 + (mantissa < 0 ? -divisor : divisor)) / (2 * divisor)
            let text = (tenths < 0 ? "-" : "") + String(tenths.magnitude) + "e-10"
            return .float(Double(text) ?? 0)
        }
    }
}
