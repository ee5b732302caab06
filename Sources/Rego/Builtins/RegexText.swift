/// Slicing and template expansion for the regex builtins, as Go's regexp does them.
enum RegexText {
    /// The text between two scalar offsets; empty for a group that did not take part.
    static func slice(_ input: [Unicode.Scalar], _ from: Int, _ to: Int) -> String {
        guard from >= 0, to >= from else { return "" }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: input[from..<to])
        return String(out)
    }

    /// The expression a `regex.template_match` template stands for: text outside the
    /// delimiters matched literally, each delimited part as a group, the whole anchored.
    static func templatePattern(_ template: String, _ open: UInt8, _ close: UInt8, _ ops: Operands) throws -> String {
        let bytes = Array(template.utf8)
        var level = 0, partStart = 0, literalStart = 0
        var pattern = "^"
        for (i, b) in bytes.enumerated() {
            if b == open {
                level += 1
                if level == 1 {
                    pattern += quoteMeta(GoStrings.string(bytes[literalStart..<i]))
                    partStart = i + 1
                }
            } else if b == close {
                level -= 1
                if level == 0 {
                    let part = GoStrings.string(bytes[partStart..<i])
                    // Each part must stand alone as an expression, as OPA compiles it separately.
                    do {
                        _ = try RegexCache.shared.regex("^" + part + "$")
                    } catch let error as RE2Syntax.SyntaxError {
                        throw ops.failure(error.message)
                    }
                    pattern += "(" + part + ")"
                    literalStart = i + 1
                } else if level < 0 {
                    throw ops.failure("unbalanced braces in \(GoQuote.quote(template))")
                }
            }
        }
        if level != 0 { throw ops.failure("unbalanced braces in \(GoQuote.quote(template))") }
        return pattern + quoteMeta(GoStrings.string(bytes[literalStart...])) + "$"
    }

    /// `regexp.QuoteMeta`.
    static func quoteMeta(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(c) { out += "\\" }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// `ReplaceAllString`: every match replaced by the expanded template, an empty match right
    /// after another match left alone, and the search moving on by at least one scalar.
    static func replaceAll(_ input: [Unicode.Scalar], _ regex: CompiledRegex, template: String) -> String {
        let slots = 2 * regex.groupNames.count
        var out = ""
        var lastEnd = 0, searchFrom = 0
        while searchFrom <= input.count {
            guard let m = regex.automaton.firstMatch(in: input, from: searchFrom, slotCount: slots) else { break }
            out += slice(input, lastEnd, m[0])
            if m[1] > lastEnd || m[0] == 0 { out += expand(template, m, input, regex.groupNames) }
            lastEnd = m[1]
            searchFrom = searchFrom + 1 > m[1] ? searchFrom + 1 : m[1]
        }
        out += slice(input, lastEnd, input.count)
        return out
    }

    /// `$1`, `${1}`, `$name`, `${name}` and `$$`; a name is the longest run of letters, digits
    /// and underscores, and a reference to no group expands to nothing.
    static func expand(_ template: String, _ m: [Int], _ input: [Unicode.Scalar], _ names: [String?]) -> String {
        let t = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func isNameScalar(_ c: Unicode.Scalar) -> Bool { c.isASCII && (Automaton.isWord(c)) }
        while i < t.count {
            guard t[i] == "$", i + 1 < t.count else { out.append(t[i]); i += 1; continue }
            if t[i + 1] == "$" { out.append("$"); i += 2; continue }
            var name = ""
            var j = i + 1
            if t[j] == "{" {
                j += 1
                let start = j
                while j < t.count, isNameScalar(t[j]) { j += 1 }
                guard j < t.count, t[j] == "}", j > start else { out.append("$"); i += 1; continue }
                name = String(String.UnicodeScalarView(t[start..<j]))
                j += 1
            } else {
                let start = j
                while j < t.count, isNameScalar(t[j]) { j += 1 }
                guard j > start else { out.append("$"); i += 1; continue }
                name = String(String.UnicodeScalarView(t[start..<j]))
            }
            let group: Int? = Int(name) ?? names.firstIndex(where: { $0 == name })
            if let group, group < names.count {
                out.append(contentsOf: slice(input, m[2 * group], m[2 * group + 1]).unicodeScalars)
            }
            i = j
        }
        return String(out)
    }
}
