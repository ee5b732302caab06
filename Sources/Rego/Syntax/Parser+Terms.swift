import BigInt

extension Parser {
    /// The lowest-precedence term form: membership `x in xs`.
    mutating func parseTermInfix() throws -> Term {
        var lhs = try parseTermRelation()
        while isIdent("in") && !keywordUsedAsName() {
            advance()
            let rhs = try parseTermRelation()
            lhs = Term(.call("internal.member_2", [lhs, rhs]), lhs.location)
        }
        return lhs
    }

    private static let relations: [String: String] = ["==": "equal", "!=": "neq", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"]
    private static let additive: [String: String] = ["+": "plus", "-": "minus"]
    private static let multiplicative: [String: String] = ["*": "mul", "/": "div", "%": "rem"]

    private func binaryOperator(_ table: [String: String]) -> String? {
        if case .punct(let p) = current.kind { return table[p] }
        return nil
    }

    mutating func parseTermRelation() throws -> Term {
        var lhs = try parseTermOr()
        while let op = binaryOperator(Parser.relations) {
            advance()
            let rhs = try parseTermOr()
            lhs = Term(.call(op, [lhs, rhs]), lhs.location)
        }
        return lhs
    }

    mutating func parseTermOr() throws -> Term {
        var lhs = try parseTermAnd()
        while isPunct("|") && !stopAtBar {
            advance()
            let rhs = try parseTermAnd()
            lhs = Term(.call("or", [lhs, rhs]), lhs.location)
        }
        return lhs
    }

    mutating func parseTermAnd() throws -> Term {
        var lhs = try parseTermArith()
        while isPunct("&") {
            advance()
            let rhs = try parseTermArith()
            lhs = Term(.call("and", [lhs, rhs]), lhs.location)
        }
        return lhs
    }

    mutating func parseTermArith() throws -> Term {
        var lhs = try parseTermFactor()
        while let op = binaryOperator(Parser.additive) {
            advance()
            let rhs = try parseTermFactor()
            lhs = Term(.call(op, [lhs, rhs]), lhs.location)
        }
        return lhs
    }

    mutating func parseTermFactor() throws -> Term {
        var lhs = try parseUnary()
        while let op = binaryOperator(Parser.multiplicative) {
            advance()
            let rhs = try parseUnary()
            lhs = Term(.call(op, [lhs, rhs]), lhs.location)
        }
        return lhs
    }

    mutating func parseUnary() throws -> Term {
        if isPunct("-") {
            let loc = current.location
            let minusToken = current
            advance()
            if case .number(let n) = current.kind, current.offset == minusToken.offset + 1 {
                advance()
                return try postfix(Term(.scalar(.number(try Parser.number("-" + n, loc))), loc))
            }
            let operand = try parseUnary()
            return Term(.call("minus", [Term(.scalar(.int(0)), loc), operand]), loc)
        }
        return try parseTerm()
    }

    /// Parses a number literal as OPA does: integers stay exact, a fraction or exponent makes a float.
    static func number(_ text: String, _ loc: SourceLocation) throws -> Number {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            if let i = Int(text) { return .int(i) }
            if let b = BigInt(text) { return .integer(b) }
        }
        guard let d = Double(text), d.isFinite else { throw RegoError(.parse, "invalid number", loc) }
        return .float(d)
    }

    /// A primary term followed by reference steps and call operands.
    mutating func parseTerm() throws -> Term {
        let tok = current
        let loc = tok.location
        var term: Term
        switch tok.kind {
        case .number(let n):
            advance()
            term = Term(.scalar(.number(try Parser.number(n, loc))), loc)
        case .string(let s), .rawString(let s):
            advance()
            term = Term(.scalar(.string(s)), loc)
        case .template(let chunks, _):
            advance()
            var parts: [TemplatePart] = []
            for c in chunks {
                switch c {
                case .text(let t): parts.append(.text(t))
                case .expression(let src, let row, let col):
                    var sub = try Parser(src, file: file, row: row, col: col)
                    let e = try sub.parseLiteral()
                    guard sub.current.kind == .eof else { throw sub.unexpected() }
                    parts.append(.expression(e))
                }
            }
            term = Term(.template(parts), loc)
        case .ident(let name):
            let calledKeyword = name == "contains" && peekToken.kind == .punct("(")
            if keywords.contains(name) && !keywordUsedAsName() && !calledKeyword {
                switch name {
                case "true": advance(); term = Term(.scalar(.bool(true)), loc)
                case "false": advance(); term = Term(.scalar(.bool(false)), loc)
                case "null": advance(); term = Term(.scalar(.null), loc)
                default: throw unexpected()
                }
            } else {
                advance()
                if name == "set" && isPunct("(") && peekToken.kind == .punct(")") {
                    advance()
                    advance()
                    return try postfix(Term(.set([]), loc))
                }
                term = Term(.variable(name), loc)
            }
        case .punct("["):
            advance()
            let saved = stopAtBar
            stopAtBar = false
            defer { stopAtBar = saved }
            term = try parseArray(loc)
        case .punct("{"):
            advance()
            let saved = stopAtBar
            stopAtBar = false
            defer { stopAtBar = saved }
            term = try parseBrace(loc)
        case .punct("("):
            advance()
            let saved = stopAtBar
            stopAtBar = false
            defer { stopAtBar = saved }
            var inner = try parseTermInfix()
            if isPunct(",") {
                advance()
                let v = try parseTermRelation()
                guard isIdent("in") else { throw unexpected(expected: "in") }
                advance()
                let coll = try parseTermRelation()
                inner = Term(.call("internal.member_3", [inner, v, coll]), inner.location)
                while isIdent("in") && !keywordUsedAsName() {
                    advance()
                    inner = Term(.call("internal.member_2", [inner, try parseTermRelation()]), inner.location)
                }
            }
            try expectPunct(")")
            term = inner
        default:
            throw unexpected(expected: tok.kind == .eof ? "term" : nil)
        }
        return try postfix(term)
    }

    mutating func postfix(_ start: Term) throws -> Term {
        var term = start
        while true {
            if isPunct(".") && !current.newlineBefore {
                advance()
                guard case .ident(let n) = current.kind else { throw unexpected(expected: "ident") }
                let step = Term(.scalar(.string(n)), current.location)
                advance()
                term = Parser.appendStep(term, step)
            } else if isPunct("[") && !current.newlineBefore {
                advance()
                let step = try parseTermInfix()
                try expectPunct("]")
                term = Parser.appendStep(term, step)
            } else if isPunct("(") && !current.newlineBefore, let name = term.dottedName {
                advance()
                var args: [Term] = []
                while !isPunct(")") {
                    args.append(try parseTermInfix())
                    if isPunct(",") { advance() } else { break }
                }
                try expectPunct(")")
                term = Term(.call(name, args), term.location)
            } else {
                return term
            }
        }
    }

    static func appendStep(_ term: Term, _ step: Term) -> Term {
        if case .ref(let head, var path) = term.kind {
            path.append(step)
            return Term(.ref(head, path), term.location)
        }
        return Term(.ref(term, [step]), term.location)
    }

    /// A term that may be a comprehension head: `|` after it starts the body.
    mutating func parseHead() throws -> Term {
        let saved = stopAtBar
        stopAtBar = true
        defer { stopAtBar = saved }
        return try parseTermInfix()
    }

    mutating func parseArray(_ loc: SourceLocation) throws -> Term {
        if isPunct("]") {
            advance()
            return Term(.array([]), loc)
        }
        let first = try parseHead()
        if isPunct("|") {
            advance()
            let body = try parseLiterals(until: "]")
            try expectPunct("]")
            return Term(.arrayComprehension(first, body), loc)
        }
        var items = [first]
        while isPunct(",") {
            advance()
            if isPunct("]") { break }
            items.append(try parseTermInfix())
        }
        try expectPunct("]")
        return Term(.array(items), loc)
    }

    mutating func parseBrace(_ loc: SourceLocation) throws -> Term {
        if isPunct("}") {
            advance()
            return Term(.object([]), loc)
        }
        let first = try parseHead()
        if isPunct(":") {
            advance()
            let value = try parseHead()
            if isPunct("|") {
                advance()
                let body = try parseLiterals(until: "}")
                try expectPunct("}")
                return Term(.objectComprehension(first, value, body), loc)
            }
            var pairs = [(first, value)]
            while isPunct(",") {
                advance()
                if isPunct("}") { break }
                let k = try parseTermInfix()
                try expectPunct(":")
                pairs.append((k, try parseTermInfix()))
            }
            try expectPunct("}")
            return Term(.object(pairs), loc)
        }
        if isPunct("|") {
            advance()
            let body = try parseLiterals(until: "}")
            try expectPunct("}")
            return Term(.setComprehension(first, body), loc)
        }
        var items = [first]
        while isPunct(",") {
            advance()
            if isPunct("}") { break }
            items.append(try parseTermInfix())
        }
        try expectPunct("}")
        return Term(.set(items), loc)
    }
}
