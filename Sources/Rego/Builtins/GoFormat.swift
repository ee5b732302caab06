import BigInt
import Foundation

/// Go's `fmt.Sprintf` over the Go values OPA hands it: integers, big integers, float64s and
/// strings (every other Rego value arrives as its Rego text, so `%v` of a set prints `{1, 2}`).
enum GoFormat {
    enum Arg {
        case int(Int)
        case big(BigInt)
        case float(Double)
        case string(String)

        var goType: String {
            switch self {
            case .int: return "int64"
            case .big: return "*big.Int"
            case .float: return "float64"
            case .string: return "string"
            }
        }

        /// `%v` rendering, used inside `%!verb(type=value)` diagnostics too.
        var plain: String {
            switch self {
            case .int(let i): return String(i)
            case .big(let b): return String(b)
            case .float(let d): return GoFloat.format(d, verb: "g", precision: nil)
            case .string(let s): return s
            }
        }
    }

    struct Spec {
        var minus = false, plus = false, sharp = false, zero = false, space = false
        var width: Int?
        var precision: Int?
    }

    static func arg(_ value: Value) -> Arg {
        switch value {
        case .number(.int(let i)): return .int(i)
        case .number(.bigInt(let b)): return .big(b)
        case .number(.float(let d)):
            // A whole number reaches fmt as an integer, as OPA converts it.
            if d.rounded(.towardZero) == d, let i = Int(exactly: d) { return .int(i) }
            return .float(d)
        case .string(let s): return .string(s)
        default: return .string(RegoText.render(value))
        }
    }

    static func sprintf(_ format: String, _ values: [Value]) -> String {
        let args = values.map(arg)
        var used = 0
        var reordered = false
        var out = ""
        let chars = Array(format.unicodeScalars)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            var spec = Spec()
            flags: while i < chars.count {
                switch chars[i] {
                case "-": spec.minus = true; spec.zero = false
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case "0": spec.zero = !spec.minus
                case " ": spec.space = true
                default: break flags
                }
                i += 1
            }
            // `[n]` picks the operand explicitly; `*` takes a width or precision from the operands.
            func index() -> Bool {
                guard i < chars.count, chars[i] == "[" else { return true }
                var j = i + 1
                guard let n = number(chars, &j), j < chars.count, chars[j] == "]", n >= 1, n <= args.count else { return false }
                used = n - 1
                reordered = true
                i = j + 1
                return true
            }
            func star() -> Int?? {
                guard i < chars.count, chars[i] == "*" else { return .some(nil) }
                i += 1
                guard used < args.count, case .int(let n) = args[used] else { used += 1; return .none }
                used += 1
                return .some(n)
            }
            guard index() else {
                // A bad `[n]`: skip past it and report against the verb that follows.
                i = (chars[i...].firstIndex(of: "]") ?? chars.count - 1) + 1
                let verb = i < chars.count ? chars[i] : "v"
                if i < chars.count { i += 1 }
                out += "%!\(verb)(BADINDEX)"
                continue
            }
            switch star() {
            case .none: out += "%!(BADWIDTH)"
            case .some(let w?):
                if w < 0 { spec.minus = true; spec.zero = false }
                spec.width = abs(w)
            case .some(nil): spec.width = number(chars, &i)
            }
            if i < chars.count, chars[i] == "." {
                i += 1
                _ = index()
                switch star() {
                case .none: out += "%!(BADPREC)"
                case .some(let p?): spec.precision = p >= 0 ? p : nil
                case .some(nil): spec.precision = number(chars, &i) ?? 0
                }
            }
            guard index() else { out += "%!v(BADINDEX)"; continue }
            guard i < chars.count else { out += "%!(NOVERB)"; break }
            let verb = chars[i]
            i += 1
            if verb == "%" { out += "%"; continue }
            guard used < args.count else { out += "%!\(verb)(MISSING)"; continue }
            let a = args[used]
            used += 1
            out += Self.format(a, verb: verb, spec: spec)
        }
        if !reordered, used < args.count {
            out += "%!(EXTRA " + args[used...].map { "\($0.goType)=\($0.plain)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    private static func number(_ chars: [Unicode.Scalar], _ i: inout Int) -> Int? {
        var n: Int?
        while i < chars.count, let d = Int(String(chars[i])), chars[i].isASCII {
            n = (n ?? 0) * 10 + d
            i += 1
            if n! > 1_000_000 { return n }
        }
        return n
    }

    private static func bad(_ a: Arg, _ verb: Unicode.Scalar) -> String {
        "%!\(verb)(\(a.goType)=\(a.plain))"
    }

    static func format(_ a: Arg, verb: Unicode.Scalar, spec: Spec) -> String {
        switch a {
        case .int(let i): return formatInteger(BigInt(i), a, verb: verb, spec: spec)
        case .big(let b): return formatInteger(b, a, verb: verb, spec: spec)
        case .float(let d): return formatFloat(d, a, verb: verb, spec: spec)
        case .string(let s): return formatString(s, a, verb: verb, spec: spec)
        }
    }

    private static func formatInteger(_ n: BigInt, _ a: Arg, verb: Unicode.Scalar, spec: Spec) -> String {
        let magnitude = n < 0 ? -n : n
        var digits: String
        var prefix = ""
        switch verb {
        case "d", "v": digits = String(magnitude)
        case "b": digits = String(magnitude, radix: 2); if spec.sharp { prefix = "0b" }
        case "o": digits = String(magnitude, radix: 8); if spec.sharp { prefix = "0" }
        case "O": digits = String(magnitude, radix: 8); prefix = "0o"
        case "x": digits = String(magnitude, radix: 16); if spec.sharp { prefix = "0x" }
        case "X": digits = String(magnitude, radix: 16).uppercased(); if spec.sharp { prefix = "0X" }
        case "c":
            guard case .int(let i) = a, let scalar = Unicode.Scalar(UInt32(clamping: max(0, i))) else { return "\u{FFFD}" }
            return pad(String(scalar), spec)
        case "q":
            guard case .int(let i) = a, let scalar = Unicode.Scalar(UInt32(clamping: max(0, i))) else { return bad(a, verb) }
            let quoted = GoQuote.quote(String(scalar))
            return pad("'" + quoted.dropFirst().dropLast().replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "'", with: "\\'") + "'", spec)
        case "U":
            var hex = String(magnitude, radix: 16).uppercased()
            if hex.count < 4 { hex = String(repeating: "0", count: 4 - hex.count) + hex }
            return pad("U+" + hex, spec)
        case "e", "E", "f", "F", "g", "G":
            // Go formats integers with float verbs as a bad verb, except big.Int which has none either.
            return bad(a, verb)
        case "s":
            if case .big = a { digits = String(magnitude) } else { return bad(a, verb) }
        default:
            return bad(a, verb)
        }
        if let p = spec.precision {
            if p == 0 && n == 0 { digits = "" }
            if digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
        }
        let sign = n < 0 ? "-" : (spec.plus ? "+" : (spec.space ? " " : ""))
        return padNumber(sign: sign + prefix, digits: digits, spec, allowZero: spec.precision == nil)
    }

    private static func formatFloat(_ d: Double, _ a: Arg, verb: Unicode.Scalar, spec: Spec) -> String {
        let v: Character
        switch verb {
        case "v", "g": v = "g"
        case "G": v = "G"
        case "e": v = "e"
        case "E": v = "E"
        case "f", "F": v = "f"
        default: return bad(a, verb)
        }
        if d.isNaN || d.isInfinite {
            let text = d.isNaN ? "NaN" : (d < 0 ? "-Inf" : (spec.plus ? "+Inf" : "Inf"))
            var s = spec
            s.zero = false
            return pad(text, s)
        }
        let precision = spec.precision ?? (v == "g" || v == "G" ? nil : 6)
        var body = GoFloat.format(abs(d), verb: v, precision: precision)
        if spec.sharp, v == "g" || v == "G", !body.contains(".") && !body.contains("e") { body += "." }
        let sign = d.sign == .minus ? "-" : (spec.plus ? "+" : (spec.space ? " " : ""))
        return padNumber(sign: sign, digits: body, spec, allowZero: true)
    }

    private static func formatString(_ s: String, _ a: Arg, verb: Unicode.Scalar, spec: Spec) -> String {
        var text = s
        if let p = spec.precision, verb == "s" || verb == "v" || verb == "q" {
            text = String(String.UnicodeScalarView(s.unicodeScalars.prefix(p)))
        }
        switch verb {
        case "s", "v": return pad(text, spec)
        case "q":
            if spec.sharp, !text.contains("`"), text.unicodeScalars.allSatisfy({ $0 == "\t" || !($0.value < 0x20 || $0.value == 0x7F) }) {
                return pad("`" + text + "`", spec)
            }
            return pad(GoQuote.quote(text, asciiOnly: spec.plus), spec)
        case "x", "X":
            let hex = s.utf8.map { GoQuote.hex(UInt32($0), width: 2) }.joined(separator: spec.space ? " " : "")
            return pad(verb == "X" ? hex.uppercased() : hex, spec)
        default: return bad(a, verb)
        }
    }

    private static func pad(_ s: String, _ spec: Spec) -> String {
        guard let width = spec.width else { return s }
        let count = s.unicodeScalars.count
        guard count < width else { return s }
        let fill = String(repeating: spec.zero && !spec.minus ? "0" : " ", count: width - count)
        return spec.minus ? s + fill : fill + s
    }

    private static func padNumber(sign: String, digits: String, _ spec: Spec, allowZero: Bool) -> String {
        guard let width = spec.width, sign.count + digits.count < width else { return sign + digits }
        let fillCount = width - sign.count - digits.count
        if spec.minus { return sign + digits + String(repeating: " ", count: fillCount) }
        if spec.zero && allowZero { return sign + String(repeating: "0", count: fillCount) + digits }
        return String(repeating: " ", count: fillCount) + sign + digits
    }
}

/// Go's `strconv.FormatFloat` for the 'e', 'f' and 'g' formats of a non-negative finite double.
enum GoFloat {
    /// Shortest round-trip decimal digits and the decimal point position (`0.d1d2… × 10^point`).
    static func shortestDigits(_ d: Double) -> (digits: [UInt8], point: Int) {
        if d == 0 { return ([UInt8(ascii: "0")], 1) }
        let text = "\(d)"
        var mantissa = Substring(text), exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenDot = false
        for c in mantissa.utf8 {
            if c == UInt8(ascii: ".") { seenDot = true; continue }
            if c == UInt8(ascii: "-") { continue }
            digits.append(c)
            if !seenDot { point += 1 }
        }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, point + exponent)
    }

    static func format(_ d: Double, verb: Character, precision: Int?) -> String {
        let negative = d.sign == .minus && d != 0
        let x = abs(d)
        var body: String
        switch verb {
        case "e", "E":
            if let p = precision {
                body = String(format: "%.\(p)e", x)
            } else {
                let (digits, point) = shortestDigits(x)
                body = exponentForm(digits, point)
            }
        case "f":
            if let p = precision {
                body = String(format: "%.\(p)f", x)
            } else {
                let (digits, point) = shortestDigits(x)
                body = fixedForm(digits, point)
            }
        default:
            if let p = precision {
                body = String(format: "%.\(max(p, 1))g", x)
            } else {
                let (digits, point) = shortestDigits(x)
                let exp = point - 1
                // Go's shortest %g switches to exponent form from 1e6 and below 1e-4.
                body = exp < -4 || exp >= 6 ? exponentForm(digits, point) : fixedForm(digits, point)
            }
        }
        if verb == "E" || verb == "G" { body = body.uppercased() }
        return negative ? "-" + body : body
    }

    static func exponentForm(_ digits: [UInt8], _ point: Int) -> String {
        var s = String(UnicodeScalar(digits[0]))
        if digits.count > 1 { s += "." + String(decoding: digits[1...], as: UTF8.self) }
        let exp = point - 1
        let mag = abs(exp)
        return s + "e" + (exp < 0 ? "-" : "+") + (mag < 10 ? "0" : "") + String(mag)
    }

    static func fixedForm(_ digits: [UInt8], _ point: Int) -> String {
        let text = String(decoding: digits, as: UTF8.self)
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + text }
        if point >= digits.count { return text + String(repeating: "0", count: point - digits.count) }
        let idx = text.index(text.startIndex, offsetBy: point)
        return String(text[..<idx]) + "." + String(text[idx...])
    }
}
