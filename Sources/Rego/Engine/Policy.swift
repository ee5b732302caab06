/// Limits and switches of one evaluation.
public struct EvalOptions: Sendable {
    /// Builtin errors raise instead of making the expression undefined.
    public var strictBuiltinErrors = false
    /// Wall-clock budget of one evaluation in nanoseconds; 0 means none.
    public var timeoutNanoseconds: UInt64 = 0
    /// Maximum nesting of rule and function evaluations.
    public var maxDepth = 1000
    /// Maximum size of a query's results, in bytes of their JSON text; 0 means none.
    public var maxOutputBytes = 0
    /// Receives the steps of the evaluation (`--explain`); nil: no trace.
    public var tracer: TraceRecorder?
    /// The outside world (clock, randomness) as the embedder allows it.
    public var hostServices: any HostServices = DisabledHostServices()
    /// Where `print` output goes.
    public var printSink: @Sendable (String) -> Void = { _ in }

    /// Default options: no time limit, lenient builtin errors, host services disabled.
    public init() {}
}

/// A compiled set of modules together with the base document they run against. Immutable: one
/// policy serves any number of concurrent evaluations.
public final class Policy: Sendable {
    let root: RuleNode
    /// The base document (`data` without rules).
    public let data: Value
    let builtins: BuiltinRegistry
    let sources: [String: String]
    /// The rules whose values are the same for every input.
    let independence: InputIndependence
    /// What evaluations of this policy compute once for all (see `SharedResults`).
    let shared = SharedResults()

    /// Parses and compiles modules (name, source) against a base document.
    public init(modules: [(name: String, source: String)], data: Value = .object([:]),
                builtins: BuiltinRegistry = .standard) throws {
        var parsed: [Module] = []
        var errors: [RegoError] = []
        var sources: [String: String] = [:]
        for (name, source) in modules {
            sources[name] = source
            do {
                var p = try Parser(source, file: name)
                parsed.append(try p.parseModule(source: source))
            } catch let e as RegoError {
                errors.append(e.withSourceLine(sources))
            }
        }
        if !errors.isEmpty { throw RegoErrors(errors) }
        let c = Compiler(builtins: builtins)
        c.compile(parsed)
        if !c.errors.isEmpty { throw RegoErrors(c.errors.map { $0.withSourceLine(sources) }) }
        root = c.root
        self.data = data
        self.builtins = builtins
        self.sources = sources
        independence = InputIndependence(root: root, builtins: builtins)
    }

    func node(_ path: [String]) -> RuleNode? { root.descendant(path) }

    /// Compiles a query against this policy, once, for many evaluations.
    public func prepare(_ query: String) throws -> PreparedQuery {
        try PreparedQuery(policy: self, query: query)
    }

    /// Every rule path whose name starts with `test_` (for `policy test`), as `data.pkg.test_x`.
    public var testRules: [[String]] {
        var out: [[String]] = []
        func visit(_ n: RuleNode) {
            if let last = n.path.last, last.hasPrefix("test_"), !n.rules.isEmpty, !n.isFunction { out.append(n.path) }
            for c in n.children.values { visit(c) }
        }
        visit(root)
        return out.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
