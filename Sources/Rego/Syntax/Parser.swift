import BigInt

/// Parses Rego v1 modules and queries into the syntax tree.
struct Parser {
    var tokens: [Token]
    var index = 0
    let file: String
    /// True while parsing a comprehension head, where `|` ends the term instead of meaning union.
    var stopAtBar = false

    init(_ source: String, file: String, row: Int = 1, col: Int = 1) throws {
        var lexer = Lexer(source, file: file, row: row, col: col)
        tokens = try lexer.tokenize()
        self.file = file
    }

    var current: Token { tokens[index] }
    var peekToken: Token { tokens[min(index + 1, tokens.count - 1)] }

    mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    func isPunct(_ p: String) -> Bool {
        if case .punct(let q) = current.kind { return q == p }
        return false
    }

    func isIdent(_ name: String) -> Bool {
        if case .ident(let n) = current.kind { return n == name }
        return false
    }

    func error(_ message: String, _ token: Token? = nil) -> RegoError {
        RegoError(.parse, message, (token ?? current).location)
    }

    func unexpected(expected: String? = nil) -> RegoError {
        var m = "unexpected \(current.kind.describe) token"
        if let e = expected { m += ": expected \(e)" }
        return error(m)
    }

    mutating func expectPunct(_ p: String) throws {
        guard isPunct(p) else { throw unexpected(expected: p) }
        advance()
    }

    /// True when the keyword token at the cursor is used as a name (`as.foo`, `foo.not`).
    func keywordUsedAsName() -> Bool {
        guard case .ident = current.kind else { return false }
        let next = peekToken
        guard !next.newlineBefore, case .punct(let p) = next.kind, p == "." || p == "[" else { return false }
        if case .ident(let n) = current.kind, next.offset != current.offset + n.utf8.count { return false }
        return true
    }

    // MARK: modules

    /// Parses a whole module.
    mutating func parseModule(source: String) throws -> Module {
        guard isIdent("package") else { throw error("package expected") }
        let pkgLoc = current.location
        advance()
        let pkgRef = try parseTerm()
        var pkg: [String] = []
        switch pkgRef.kind {
        case .variable(let n): pkg = [n]
        case .ref(let head, let path):
            guard let h = head.variableName else { throw error("package expected", tokens[index - 1]) }
            pkg = [h]
            for p in path {
                guard case .scalar(.string(let s)) = p.kind else { throw RegoError(.parse, "unexpected non-string path element in package", p.location) }
                pkg.append(s)
            }
        default: throw error("package expected")
        }
        if pkg.first == "data" { pkg.removeFirst() }
        var imports: [Import] = []
        while isIdent("import") {
            let loc = current.location
            advance()
            let path = try parseTerm()
            var alias: String?
            if isIdent("as") {
                advance()
                guard case .ident(let a) = current.kind else { throw unexpected(expected: "ident") }
                alias = a
                advance()
            }
            imports.append(Import(path: path, alias: alias, location: loc))
        }
        var rules: [Rule] = []
        while current.kind != .eof {
            rules.append(try parseRule())
        }
        return Module(file: file, packagePath: pkg, packageLocation: pkgLoc, imports: imports, rules: rules, source: source)
    }

    // MARK: rules

    mutating func parseRule() throws -> Rule {
        let loc = current.location
        var isDefault = false
        if isIdent("default") && !keywordUsedAsName() {
            isDefault = true
            advance()
        }
        let ref = try parseHeadRef()
        var rule = Rule(isDefault: isDefault, kind: .value, ref: ref, args: [], value: nil, body: [],
                        elseRules: [], location: loc, annotations: nil)
        if isPunct("(") && !current.newlineBefore {
            advance()
            rule.kind = .function
            while !isPunct(")") {
                rule.args.append(try parseTermInfix())
                if isPunct(",") { advance() } else { break }
            }
            try expectPunct(")")
        }
        if isIdent("contains") && !current.newlineBefore {
            advance()
            rule.kind = .contains
            rule.value = try parseTermInfix()
        } else if (isPunct(":=") || isPunct("=")) && !current.newlineBefore {
            advance()
            rule.value = try parseTermInfix()
        }
        if isDefault {
            guard rule.value != nil else { throw error("default rule requires a value", tokens[index]) }
            return rule
        }
        rule.body = try parseRuleBody(allowNone: true)
        while isIdent("else") && !keywordUsedAsName() {
            let eloc = current.location
            advance()
            var e = Rule(isDefault: false, kind: rule.kind, ref: rule.ref, args: rule.args, value: nil, body: [],
                         elseRules: [], location: eloc, annotations: nil)
            if isPunct(":=") || isPunct("=") {
                advance()
                e.value = try parseTermInfix()
            }
            e.body = try parseRuleBody(allowNone: true)
            rule.elseRules.append(e)
        }
        return rule
    }

    /// The body after a head: `if { ... }`, `if expr`, `{ ... }`, or none (body `true`).
    mutating func parseRuleBody(allowNone: Bool) throws -> [Expr] {
        if isIdent("if") && !keywordUsedAsName() {
            advance()
            if isPunct("{") {
                // `if {x: 1 | ...}` is a one-expression body that starts with a comprehension
                let saved = index
                do {
                    return try parseBraceBody()
                } catch {
                    index = saved
                    if let single = try? parseLiteral() { return [single] }
                    throw error
                }
            }
            return [try parseLiteral()]
        }
        if isPunct("{") && !current.newlineBefore { return try parseBraceBody() }
        return [Expr(kind: .term(Term(.scalar(.bool(true)), current.location)), negated: false, with: [], location: current.location)]
    }

    mutating func parseBraceBody() throws -> [Expr] {
        try expectPunct("{")
        let body = try parseLiterals(until: "}")
        try expectPunct("}")
        if body.isEmpty { throw error("found empty body", tokens[index - 1]) }
        return body
    }

    mutating func parseHeadRef() throws -> [Term] {
        guard case .ident(let name) = current.kind else { throw unexpected(expected: "ident") }
        var terms = [Term(.variable(name), current.location)]
        advance()
        while !current.newlineBefore {
            if isPunct(".") {
                advance()
                guard case .ident(let n) = current.kind else { throw unexpected(expected: "ident") }
                terms.append(Term(.scalar(.string(n)), current.location))
                advance()
            } else if isPunct("[") {
                advance()
                terms.append(try parseTermInfix())
                try expectPunct("]")
            } else {
                break
            }
        }
        return terms
    }

    // MARK: bodies and queries

    /// Parses a query: literals separated by `;` or newlines up to the end.
    mutating func parseQuery() throws -> [Expr] {
        let body = try parseLiterals(until: nil)
        guard current.kind == .eof else { throw unexpected() }
        if body.isEmpty { throw error("empty query") }
        return body
    }

    mutating func parseLiterals(until close: String?) throws -> [Expr] {
        var body: [Expr] = []
        var separated = true
        while true {
            if let c = close, isPunct(c) { return body }
            if current.kind == .eof { return body }
            if isPunct(";") {
                advance()
                separated = true
                continue
            }
            if !separated && !current.newlineBefore { throw unexpected() }
            separated = false
            body.append(try parseLiteral())
        }
    }

    /// One expression with its `not`, `some`, `every` forms and `with` modifiers.
    mutating func parseLiteral() throws -> Expr {
        let loc = current.location
        var expr: Expr
        if isIdent("some") && !keywordUsedAsName() {
            advance()
            expr = try parseSome(loc)
        } else if isIdent("every") && !keywordUsedAsName() {
            advance()
            expr = try parseEvery(loc)
        } else {
            var negated = false
            if isIdent("not") && !keywordUsedAsName() {
                negated = true
                advance()
            }
            expr = try parseExprBody(loc)
            expr.negated = negated
        }
        while isIdent("with") && !keywordUsedAsName() {
            advance()
            let target = try parseTermInfix()
            guard isIdent("as") else { throw unexpected(expected: "as") }
            advance()
            let value = try parseTermInfix()
            expr.with.append((target, value))
        }
        return expr
    }

    mutating func parseSome(_ loc: SourceLocation) throws -> Expr {
        var terms: [Term] = [try parseTermRelation()]
        while isPunct(",") {
            advance()
            terms.append(try parseTermRelation())
        }
        if isIdent("in") {
            advance()
            let coll = try parseTermRelation()
            guard terms.count <= 2 else { throw error("unexpected , token") }
            let kind: Expr.Kind = terms.count == 2
                ? .someIn(key: terms[0], value: terms[1], collection: coll)
                : .someIn(key: nil, value: terms[0], collection: coll)
            return Expr(kind: kind, negated: false, with: [], location: loc)
        }
        // `some x in xs` parsed as one membership call
        if terms.count == 1, case .call(let name, let args) = terms[0].kind, name == "internal.member_2" {
            return Expr(kind: .someIn(key: nil, value: args[0], collection: args[1]), negated: false, with: [], location: loc)
        }
        for t in terms where t.variableName == nil {
            throw RegoError(.parse, "expected var or var in collection", t.location)
        }
        return Expr(kind: .someDecl(terms), negated: false, with: [], location: loc)
    }

    mutating func parseEvery(_ loc: SourceLocation) throws -> Expr {
        let first = try parseTermRelation()
        var key: Term?
        var value = first
        if isPunct(",") {
            advance()
            key = first
            value = try parseTermRelation()
        }
        guard isIdent("in") else { throw unexpected(expected: "in") }
        advance()
        let domain = try parseTermRelation()
        let body = try parseBraceBody()
        return Expr(kind: .every(key: key, value: value, domain: domain, body: body), negated: false, with: [], location: loc)
    }

    /// `a`, `a = b`, `a := b`, `k, v in xs`.
    mutating func parseExprBody(_ loc: SourceLocation) throws -> Expr {
        let lhs = try parseTermInfix()
        if isPunct(",") {
            // `k, v in coll` at expression level
            advance()
            let v = try parseTermRelation()
            guard isIdent("in") else { throw unexpected(expected: "in") }
            advance()
            let coll = try parseTermRelation()
            var call = Term(.call("internal.member_3", [lhs, v, coll]), lhs.location)
            while isIdent("in") && !keywordUsedAsName() {
                advance()
                call = Term(.call("internal.member_2", [call, try parseTermRelation()]), call.location)
            }
            return Expr(kind: .term(call), negated: false, with: [], location: loc)
        }
        if isPunct("=") {
            advance()
            return Expr(kind: .unify(lhs, try parseTermInfix()), negated: false, with: [], location: loc)
        }
        if isPunct(":=") {
            advance()
            return Expr(kind: .assign(lhs, try parseTermInfix()), negated: false, with: [], location: loc)
        }
        return Expr(kind: .term(lhs), negated: false, with: [], location: loc)
    }
}
