/// Canonical formatting of Rego source (`policy fmt`): tabs, one expression per line, `:=` for
/// values, `if` before bodies, comments kept before the construct they precede.
public enum RegoFormatter {
    /// Formats a module; the result formats to itself.
    public static func format(_ source: String, file: String = "input.rego") throws -> String {
        var p = try Parser(source, file: file)
        let m = try p.parseModule(source: source)
        var w = Writer(comments: comments(source))
        w.emitComments(before: m.packageLocation.row, indent: "")
        w.out += "package " + m.packagePath.map { Compiler.isIdentifier($0) ? $0 : "[\"\($0)\"]" }.joined(separator: ".") + "\n"
        if !m.imports.isEmpty { w.out += "\n" }
        for imp in m.imports {
            w.emitComments(before: imp.location.row, indent: "")
            w.out += "import " + term(imp.path) + (imp.alias.map { " as \($0)" } ?? "") + "\n"
        }
        for r in m.rules {
            w.out += "\n"
            w.emitComments(before: r.location.row, indent: "")
            w.rule(r)
        }
        w.emitComments(before: Int.max, indent: "")
        return w.out
    }

    /// Comment lines of the source by row (a `#` outside strings).
    static func comments(_ source: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        for (i, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var inString = false, raw = false, escaped = false
            for (j, ch) in line.enumerated() {
                if escaped { escaped = false; continue }
                if inString {
                    if ch == "\\" && !raw { escaped = true } else if (ch == "\"" && !raw) || (ch == "`" && raw) { inString = false }
                    continue
                }
                if ch == "\"" || ch == "`" { inString = true; raw = ch == "`"; continue }
                if ch == "#" {
                    out.append((i + 1, String(line.dropFirst(j)).trimmingTrailingSpace))
                    break
                }
            }
        }
        return out
    }

    struct Writer {
        var comments: [(Int, String)]
        var out = ""

        mutating func emitComments(before row: Int, indent: String) {
            while let c = comments.first, c.0 < row {
                out += indent + c.1 + "\n"
                comments.removeFirst()
            }
        }

        mutating func rule(_ r: Rule) {
            out += head(r)
            body(r.body, indent: "")
            for e in r.elseRules {
                out += " else"
                if let v = e.value { out += " := " + term(v) }
                body(e.body, indent: "")
            }
            out += "\n"
        }

        func head(_ r: Rule) -> String {
            var s = r.isDefault ? "default " : ""
            s += refText(r.ref)
            if r.kind == .function { s += "(" + r.args.map(term).joined(separator: ", ") + ")" }
            if r.kind == .contains, let v = r.value {
                s += " contains " + term(v)
            } else if let v = r.value {
                s += " := " + term(v)
            }
            return s
        }

        mutating func body(_ b: [Expr], indent: String) {
            if b.count == 1, case .term(let t) = b[0].kind, case .scalar(.bool(true)) = t.kind, !b[0].negated, b[0].with.isEmpty {
                return
            }
            out += " if {\n"
            exprs(b, indent: indent + "\t")
            out += indent + "}"
        }

        mutating func exprs(_ b: [Expr], indent: String) {
            for e in b {
                emitComments(before: e.location.row, indent: indent)
                out += indent
                expr(e, indent: indent)
                out += "\n"
            }
        }

        mutating func expr(_ e: Expr, indent: String) {
            if e.negated { out += "not " }
            switch e.kind {
            case .term(let t): out += term(t)
            case .unify(let a, let b): out += term(a) + " = " + term(b)
            case .assign(let a, let b): out += term(a) + " := " + term(b)
            case .someDecl(let ts): out += "some " + ts.map(term).joined(separator: ", ")
            case .someIn(let k, let v, let c):
                out += "some " + (k.map { term($0) + ", " } ?? "") + term(v) + " in " + term(c)
            case .every(let k, let v, let d, let b):
                out += "every " + (k.map { term($0) + ", " } ?? "") + term(v) + " in " + term(d) + " {\n"
                exprs(b, indent: indent + "\t")
                out += indent + "}"
            }
            for w in e.with { out += " with " + term(w.target) + " as " + term(w.value) }
        }
    }

    static let infix: [String: (String, Int)] = [
        "internal.member_2": ("in", 0), "equal": ("==", 1), "neq": ("!=", 1), "lt": ("<", 1), "lte": ("<=", 1),
        "gt": (">", 1), "gte": (">=", 1), "or": ("|", 2), "and": ("&", 3), "plus": ("+", 4), "minus": ("-", 4),
        "mul": ("*", 5), "div": ("/", 5), "rem": ("%", 5),
    ]

    static func refText(_ ref: [Term]) -> String {
        var s = ref[0].variableName ?? term(ref[0])
        for p in ref.dropFirst() {
            if case .scalar(.string(let k)) = p.kind, Compiler.isIdentifier(k), !keywords.contains(k) { s += "." + k } else { s += "[" + term(p) + "]" }
        }
        return s
    }

    static func term(_ t: Term) -> String { term(t, precedence: -1) }

    static func term(_ t: Term, precedence: Int) -> String {
        switch t.kind {
        case .scalar(let v): return v.json()
        case .variable(let n): return n
        case .ref(let h, let p):
            var s: String
            switch h.kind {
            case .variable, .array, .object, .set, .call, .scalar: s = term(h, precedence: 9)
            default: s = "(" + term(h) + ")"
            }
            for x in p {
                if case .scalar(.string(let k)) = x.kind, Compiler.isIdentifier(k), !keywords.contains(k) { s += "." + k } else { s += "[" + term(x) + "]" }
            }
            return s
        case .array(let a): return "[" + a.map(term).joined(separator: ", ") + "]"
        case .set(let a): return a.isEmpty ? "set()" : "{" + a.map(term).joined(separator: ", ") + "}"
        case .object(let o): return "{" + o.map { term($0.0) + ": " + term($0.1) }.joined(separator: ", ") + "}"
        case .arrayComprehension(let h, let b): return "[" + term(h) + " | " + inline(b) + "]"
        case .setComprehension(let h, let b): return "{" + term(h) + " | " + inline(b) + "}"
        case .objectComprehension(let k, let v, let b): return "{" + term(k) + ": " + term(v) + " | " + inline(b) + "}"
        case .call(let name, let args):
            if name == "internal.member_3", args.count == 3 {
                return wrap(term(args[0], precedence: 1) + ", " + term(args[1], precedence: 1) + " in " + term(args[2], precedence: 1), 0, precedence)
            }
            if let (op, prec) = infix[name], args.count == 2 {
                if name == "minus", case .scalar(.number(.int(0))) = args[0].kind, args[0].location == t.location,
                   !(args[1].location == t.location) {
                    return "-" + term(args[1], precedence: 6)
                }
                return wrap(term(args[0], precedence: prec) + " \(op) " + term(args[1], precedence: prec + 1), prec, precedence)
            }
            return name + "(" + args.map(term).joined(separator: ", ") + ")"
        case .template(let parts):
            var s = "$\""
            for p in parts {
                switch p {
                case .text(let x):
                    var q = ""
                    Value.writeQuoted(x, into: &q)
                    s += q.dropFirst().dropLast().replacingOccurrences(of: "{", with: "\\{").replacingOccurrences(of: "}", with: "\\}")
                case .expression(let e):
                    var w = Writer(comments: [])
                    w.expr(e, indent: "")
                    s += "{" + w.out + "}"
                }
            }
            return s + "\""
        }
    }

    static func wrap(_ s: String, _ own: Int, _ outer: Int) -> String { own < outer ? "(" + s + ")" : s }

    static func inline(_ b: [Expr]) -> String {
        b.map { e -> String in
            var w = Writer(comments: [])
            w.expr(e, indent: "")
            return w.out
        }.joined(separator: "; ")
    }
}

extension StringProtocol {
    var trimmingTrailingSpace: String {
        var s = String(self)
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return s
    }

    func replacingOccurrences(of a: String, with b: String) -> String {
        String(self).split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
