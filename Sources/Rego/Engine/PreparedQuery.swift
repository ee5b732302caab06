import Foundation

/// One solution of a query.
public struct QueryRow: Sendable {
    /// The value of each query expression, in source order.
    public var expressions: [Value]
    /// The query's variables and their values.
    public var bindings: [(name: String, value: Value)]
}

/// The source text and position of one query expression.
public struct QueryExpression: Sendable {
    /// The expression as written.
    public var text: String
    /// Where it starts.
    public var location: SourceLocation
}

/// A query compiled against a policy. Evaluate it any number of times, from any thread.
public struct PreparedQuery: Sendable {
    let policy: Policy
    let body: CBody
    let frameSize: Int
    /// The query's user-visible variables and their slots.
    let variables: [(String, Int)]
    /// The query's expressions as written.
    public let expressions: [QueryExpression]

    init(policy: Policy, query: String) throws {
        self.policy = policy
        var sources = policy.sources
        sources["query"] = query
        do {
            var p = try Parser(query, file: "query")
            let parsed = try p.parseQuery()
            let c = Compiler(builtins: policy.builtins)
            c.adopt(policy.root)
            let (b, vars, size) = try c.compileQuery(parsed)
            body = b
            variables = vars
            frameSize = size
            expressions = PreparedQuery.texts(query, parsed.map(\.location))
        } catch let e as RegoError {
            throw RegoErrors([e.withSourceLine(sources)])
        }
    }

    /// Slices the query text at each expression's start.
    static func texts(_ query: String, _ locs: [SourceLocation]) -> [QueryExpression] {
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        func offset(_ l: SourceLocation) -> Int {
            var o = 0
            for i in 0..<min(l.row - 1, lines.count) { o += lines[i].count + 1 }
            return o + l.col - 1
        }
        let scalars = Array(query.unicodeScalars)
        var out: [QueryExpression] = []
        for (i, l) in locs.enumerated() {
            let start = min(offset(l), scalars.count)
            let end = i + 1 < locs.count ? min(offset(locs[i + 1]), scalars.count) : scalars.count
            var s = String(String.UnicodeScalarView(scalars[start..<max(start, end)]))
            s = s.trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r;"))
            out.append(QueryExpression(text: s, location: l))
        }
        return out
    }

    /// Evaluates the query; each solution is one row. Throws `RegoError` on evaluation errors.
    public func eval(input: Value?, options: EvalOptions = EvalOptions()) throws -> [QueryRow] {
        let ev = Evaluator(policy: policy, input: input, options: options)
        let f = Frame(size: frameSize)
        var rows: [QueryRow] = []
        var values = [Value](repeating: .bool(true), count: expressions.count)
        var output = OutputLimit(options.maxOutputBytes)
        try evalQuery(ev, 0, f, { values[$0] = $1 }) {
            let row = QueryRow(expressions: values, bindings: variables.compactMap { name, s in
                f.slots[s].map { (name, $0) }
            })
            try output.count(row.expressions, row.bindings)
            rows.append(row)
        }
        return rows
    }

    private func evalQuery(_ ev: Evaluator, _ i: Int, _ f: Frame, _ record: (Int, Value) -> Void, _ k: () throws -> Void) throws {
        if i == body.exprs.count { return try k() }
        let e = body.exprs[i]
        if case .term(let t) = e.kind, !e.negated, e.with.isEmpty {
            // A query term that is not a call reports its value, `false` included (OPA captures it).
            var isCall = false
            if case .call = t { isCall = true }
            try ev.evalTerm(t, f) { v in
                if isCall, case .bool(false) = v { return }
                record(e.sourceIndex, v)
                try self.evalQuery(ev, i + 1, f, record, k)
            }
            return
        }
        if case .term(let t) = e.kind, !e.negated {
            var value: Value = .bool(true)
            try ev.evalWith(e, f, { inner in
                try ev.evalTerm(t, f) { v in
                    if case .bool(false) = v { return }
                    value = v
                    try inner()
                }
            }) {
                record(e.sourceIndex, value)
                try self.evalQuery(ev, i + 1, f, record, k)
            }
            return
        }
        try ev.evalExpr(e, f) {
            record(e.sourceIndex, .bool(true))
            try self.evalQuery(ev, i + 1, f, record, k)
        }
    }
}

extension Compiler {
    /// Reuses a compiled policy's rule tree so a query can resolve functions and rules.
    func adopt(_ tree: RuleNode) {
        for (k, v) in tree.children { root.children[k] = v }
        root.hasRules = tree.hasRules
    }
}
