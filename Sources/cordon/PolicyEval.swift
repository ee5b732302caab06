import ArgumentParser
import Foundation
import Rego

/// `cordon policy eval`: evaluates a query like `opa eval`, with OPA's JSON output.
struct PolicyEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a Rego query.",
        discussion: """
        Loads policies and data like `opa eval` (.rego, .json and .yaml files; directories \
        recursively, a data file placed at its directory's path) and prints every solution of \
        the query. Undefined prints `{}` with --format json. Errors exit 1 and, with --format \
        json, print OPA's shape {"errors":[{"code":...,"message":...,"location":...}]}.

        Examples:
          cordon policy eval -d policy.rego -i input.json 'data.agent.allow'
          cordon policy eval -d policies/ -d data.yaml -f pretty 'data.agent.decision'
          echo '{"user":"ana"}' | cordon policy eval -d a.rego -I 'data.a.allow'
          cordon policy eval -d authz.rego --explain notes 'data.authz.allow'
          cordon policy eval -f raw 'sprintf("%d files", [count(["a", "b"])])'
        """
    )

    @Option(name: [.short, .customLong("data")], help: "Policy or data file or directory (repeatable).")
    var data: [String] = []
    @Option(name: [.short, .customLong("input")], help: "Input document file (.json, .yaml).")
    var input: String?
    @Flag(name: [.customShort("I"), .customLong("stdin-input")], help: "Read the input document from standard input.")
    var stdinInput = false
    @Option(name: [.short, .customLong("format")], help: "Output format: json, pretty or raw.")
    var format: String = "json"
    @Flag(name: .customLong("strict-builtin-errors"), help: "Builtin errors raise instead of being undefined.")
    var strictBuiltinErrors = false
    @Option(name: .customLong("explain"), help: "Explain the evaluation: notes (trace(msg) calls) or full (every step).")
    var explain: String?
    @Option(name: .customLong("timeout-ms"), help: "Evaluation time limit in milliseconds (0: none).")
    var timeoutMs: UInt64 = 0
    @Option(name: .customLong("max-depth"), help: "Maximum nesting of rule and function evaluations.")
    var maxDepth = 1000
    @Option(name: .customLong("max-output-bytes"), help: "Maximum size of the results as JSON text, in bytes (0: none).")
    var maxOutputBytes = 64 << 20
    @Argument(help: "The query, e.g. 'data.pkg.allow' or 'x := input.user; x != \"root\"'.")
    var query: String

    func validate() throws {
        guard ["json", "pretty", "raw"].contains(format) else {
            throw ValidationError("--format \(format): expected json, pretty or raw")
        }
        if let e = explain, !["notes", "full"].contains(e) {
            throw ValidationError("--explain \(e): expected notes or full")
        }
    }

    func run() throws {
        let tracer = explain.map { TraceRecorder(full: $0 == "full") }
        var sources: [String: String] = ["query": query]
        do {
            let loaded = try PolicyLoader(paths: data)
            for m in loaded.modules { sources[m.name] = m.source }
            let inputValue = try PolicyLoader.input(file: input, stdin: stdinInput)
            let policy = try Policy(modules: loaded.modules, data: loaded.data)
            let prepared = try policy.prepare(query)
            var options = EvalOptions()
            options.strictBuiltinErrors = strictBuiltinErrors
            options.hostServices = SystemHostServices()
            options.timeoutNanoseconds = timeoutMs * 1_000_000
            options.maxDepth = maxDepth
            options.maxOutputBytes = maxOutputBytes
            options.tracer = tracer
            options.printSink = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let rows = try prepared.eval(input: inputValue, options: options)
            print(render(rows, prepared, trace: tracer?.render(sources: sources)))
        } catch {
            if format == "json" {
                print(PolicyOutput.errorsJSON(error))
            } else {
                if let t = tracer { print(t.render(sources: sources).joined(separator: "\n")) }
                FileHandle.standardError.write(Data((PolicyOutput.errorsText(error) + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }

    private func render(_ rows: [QueryRow], _ q: PreparedQuery, trace: [String]?) -> String {
        // OPA prints the explanation before the result, and inside the JSON object with -f json.
        let before = format == "json" ? "" : (trace.map { $0.joined(separator: "\n") + "\n" } ?? "")
        return before + renderResult(rows, q, trace: format == "json" ? trace : nil)
    }

    private func renderResult(_ rows: [QueryRow], _ q: PreparedQuery, trace: [String]?) -> String {
        switch format {
        case "raw":
            return rows.map { row in
                row.expressions.map { v in if case .string(let s) = v { return s } else { return v.json() } }.joined(separator: "\n")
            }.joined(separator: "\n")
        case "pretty":
            if rows.isEmpty { return "undefined" }
            if rows.count == 1, rows[0].bindings.isEmpty, rows[0].expressions.count == 1 {
                return rows[0].expressions[0].json(pretty: true)
            }
            return Value.array(rows.map { row in
                .object(Dictionary(row.bindings.map { (Value.string($0.name), $0.value) }, uniquingKeysWith: { a, _ in a }))
            }).json(pretty: true)
        default:
            let explanation: [Value: Value] = trace.map { [.string("explanation"): .array($0.map { .string($0) })] } ?? [:]
            if rows.isEmpty { return Value.object(explanation).json(pretty: !explanation.isEmpty) }
            let result = rows.map { row -> Value in
                let exprs = zip(row.expressions, q.expressions).map { v, e -> Value in
                    .object([
                        .string("value"): v,
                        .string("text"): .string(e.text),
                        .string("location"): .object([.string("row"): .int(e.location.row), .string("col"): .int(e.location.col)]),
                    ])
                }
                var o: [Value: Value] = [.string("expressions"): .array(exprs)]
                if !row.bindings.isEmpty {
                    o[.string("bindings")] = .object(Dictionary(row.bindings.map { (Value.string($0.name), $0.value) }, uniquingKeysWith: { a, _ in a }))
                }
                return .object(o)
            }
            return Value.object(explanation.merging([.string("result"): .array(result)]) { a, _ in a }).json(pretty: true)
        }
    }
}
