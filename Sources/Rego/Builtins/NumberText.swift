import BigInt

/// Numbers from text: JSON numbers and Go's `strconv.ParseFloat` syntax.
enum NumberText {
    /// A JSON-number-shaped literal: integers stay exact, anything with a fraction or exponent is a double.
    static func parseDecimal(_ text: Substring) -> Number? {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            if let i = Int(text) { return .int(i) }
            if let b = BigInt(text.hasPrefix("+") ? text.dropFirst() : text) { return .integer(b) }
            return nil
        }
        guard let d = Double(text), d.isFinite else { return nil }
        return .float(d)
    }

    /// Go's `strconv.ParseFloat(s, 64)` acceptance (decimal and hex forms, underscores only
    /// after a base prefix); `nil` where Go reports a syntax or range error.
    static func parseGoFloat(_ s: String) -> Number? {
        var body = Substring(s)
        var negative = false
        if body.first == "+" || body.first == "-" { negative = body.first == "-"; body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        if body.lowercased().hasPrefix("0x") {
            guard body.lowercased().contains("p") else { return nil }
            let digits = body.dropFirst(2).filter { $0 != "_" }
            guard let d = Double("0x" + digits), d.isFinite else { return nil }
            return .fromDouble(negative ? -d : d)
        }
        var sawDigit = false, sawDot = false, sawExp = false, expDigits = false
        var previous: Character = " "
        for c in body {
            switch c {
            case "0"..."9":
                if sawExp { expDigits = true } else { sawDigit = true }
            case ".":
                if sawDot || sawExp { return nil }
                sawDot = true
            case "e", "E":
                if sawExp || !sawDigit { return nil }
                sawExp = true
            case "+", "-":
                if previous != "e" && previous != "E" { return nil }
            default:
                return nil
            }
            previous = c
        }
        guard sawDigit, !sawExp || expDigits else { return nil }
        let signed = (negative ? "-" : "") + body
        if !sawDot && !sawExp, let b = BigInt(signed) { return .integer(b) }
        guard let d = Double(signed), d.isFinite else { return nil }
        return .float(d)
    }
}
