import ArgumentParser
import Foundation
import Rego

/// `cordon policy bench`: times repeated evaluations of a prepared query, like `opa bench`.
struct PolicyBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmark a Rego query.")

    @Option(name: [.short, .customLong("data")], help: "Policy or data file or directory (repeatable).")
    var data: [String] = []
    @Option(name: [.short, .customLong("input"), .customLong("inputs")], help: "Input document file; a .jsonl file holds one input per line, cycled through.")
    var input: String?
    @Option(name: .customLong("count"), help: "Number of evaluations.")
    var count: Int = 10_000
    @Option(name: [.short, .customLong("format")], help: "Output format: pretty or json.")
    var format: String = "pretty"
    @Argument(help: "The query.")
    var query: String

    func run() throws {
        do {
            let loaded = try PolicyLoader(paths: data)
            var inputs: [Value?] = [nil]
            if let input, input.hasSuffix(".jsonl") {
                inputs = try JSONReader.parseAll(String(contentsOfFile: input, encoding: .utf8)).map { $0 }
            } else {
                inputs = [try PolicyLoader.input(file: input, stdin: false)]
            }
            let prepared = try Policy(modules: loaded.modules, data: loaded.data).prepare(query)
            _ = try prepared.eval(input: inputs[0])
            let n = max(1, count)
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.threadCPUNanoseconds()
            for i in 0..<n { _ = try prepared.eval(input: inputs[i % inputs.count]) }
            let cpu = Self.threadCPUNanoseconds() - cpuStart
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            let perOp = Double(elapsed) / Double(n)
            let cpuPerOp = Double(cpu) / Double(n)
            if format == "json" {
                print(Value.object([.string("n"): .int(n), .string("ns_per_op"): .int(Int(perOp)),
                                    .string("cpu_ns_per_op"): .int(Int(cpuPerOp)),
                                    .string("inputs"): .int(inputs.count)]).json(pretty: true))
            } else {
                print("n: \(n)\nns/op: \(Int(perOp))\nus/op: \(String(format: "%.3f", perOp / 1000))"
                      + "\ncpu us/op: \(String(format: "%.3f", cpuPerOp / 1000))")
            }
        } catch {
            FileHandle.standardError.write(Data((PolicyOutput.errorsText(error) + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// CPU time of this thread: on a busy machine wall time also counts other processes' turns.
    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
