/// Reporting evaluation steps to an `EvalOptions.tracer` (`--explain full|notes`).
extension Evaluator {
    /// Evaluates an expression, reporting `Eval`, then `Redo` after each solution the rest of
    /// the body has consumed, or `Fail` when it has none.
    func evalExprTraced(_ e: CExpr, _ f: Frame, _ tracer: TraceRecorder, _ k: K) throws {
        tracer.record(TraceEvent(op: .eval, depth: depth, location: e.location))
        var solutions = 0
        try evalExprUntraced(e, f) {
            solutions += 1
            try k()
            tracer.record(TraceEvent(op: .redo, depth: self.depth, location: e.location))
        }
        if solutions == 0 { tracer.record(TraceEvent(op: .fail, depth: depth, location: e.location)) }
    }

    /// The value of the rules at a node between `Enter` and, when they produce one, `Exit`
    /// (no value: the `Fail` of the expressions inside already says why).
    func tracedRuleValue(_ node: RuleNode) throws -> Value? {
        guard let tracer = options.tracer, tracer.full else { return try ruleValue(node) }
        let level = depth
        traceRule(.enter, node, level)
        let v = try ruleValue(node)
        if v != nil { traceRule(.exit, node, level) }
        return v
    }

    /// `Enter` or `Exit` of the rules (or function) at a node.
    func traceRule(_ op: TraceEvent.Op, _ node: RuleNode, _ level: Int) {
        guard let tracer = options.tracer, tracer.full,
              let loc = node.rules.first?.location ?? node.defaultRule?.location else { return }
        tracer.record(TraceEvent(op: op, depth: level, location: loc, detail: Compiler.dataPath(node.path)))
    }

    /// `trace(msg)`: a note in the trace; always true.
    func traceNote(_ message: Value, _ loc: SourceLocation) {
        guard let tracer = options.tracer else { return }
        let text: String
        if case .string(let s) = message { text = s } else { text = message.json() }
        tracer.record(TraceEvent(op: .note, depth: depth, location: loc, detail: text))
    }
}
