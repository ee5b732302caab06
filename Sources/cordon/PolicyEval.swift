import ArgumentParser
import Foundation
import Rego

/// `cordon policy eval`: evaluates a query like `opa eval`, with OPA's JSON output.
struct PolicyEval: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Evaluate a Rego query.")

    @Option(name: [.short, .customLong("data")], help: "Policy or data file or directory (repeatable).")
    var data: [String] = []
    @Option(name: [.short, .customLong("input")], help: "Input document file.")
    var input: String?
    @Flag(name: [.customShort("I"), .customLong("stdin-input")], help: "Read the input document from standard input.")
    var stdinInput = false
    @Option(name: [.short, .customLong("format")], help: "Output format: json, pretty or raw.")
    var format: String = "json"
    @Flag(name: .customLong("strict-builtin-errors"), help: "Builtin errors raise instead of being undefined.")
    var strictBuiltinErrors = false
    @Option(name: .customLong("explain"), help: "Explanation mode: full or notes (print output goes to stderr).")
    var explain: String?
    @Option(name: .customLong("timeout-ms"), help: "Evaluation time limit in milliseconds (0: none).")
    var timeoutMs: UInt64 = 0
    @Argument(help: "The query.")
    var query: String

    func run() throws {
        do {
            let loaded = try PolicyLoader(paths: data)
            let inputValue = try PolicyLoader.input(file: input, stdin: stdinInput)
            let policy = try Policy(modules: loaded.modules, data: loaded.data)
            let prepared = try policy.prepare(query)
            var options = EvalOptions()
            options.strictBuiltinErrors = strictBuiltinErrors
            options.hostServices = SystemHostServices()
            options.timeoutNanoseconds = timeoutMs * 1_000_000
            options.printSink = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let rows = try prepared.eval(input: inputValue, options: options)
            print(render(rows, prepared))
        } catch {
            if format == "json" {
                print(PolicyOutput.errorsJSON(error))
            } else {
                FileHandle.standardError.write(Data((PolicyOutput.errorsText(error) + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }

    private func render(_ rows: [QueryRow], _ q: PreparedQuery) -> String {
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
            if rows.isEmpty { return "{}" }
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
            return Value.object([.string("result"): .array(result)]).json(pretty: true)
        }
    }
}
