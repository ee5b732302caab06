import ArgumentParser
import Foundation
import Rego

/// `cordon policy test`: runs every `test_` rule, printing PASS/FAIL lines like `opa test`.
struct PolicyTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run Rego tests.",
        discussion: """
        Evaluates every rule whose name starts with test_ in the given files and directories \
        (data files are loaded as with eval). Prints failures (every test with -v) and a \
        PASS: n/m summary; exits 2 when a test fails, 1 when the policies do not compile.

        Examples:
          cordon policy test policies/
          cordon policy test -v --run 'test_deny' authz.rego authz_test.rego
          cordon policy test -f json policies/
        """
    )

    @Flag(name: [.short, .customLong("verbose")], help: "Print every test, not only failures.")
    var verbose = false
    @Option(name: [.short, .customLong("format")], help: "Output format: pretty or json.")
    var format: String = "pretty"
    @Option(name: [.short, .customLong("run")], help: "Only tests whose name matches this regular expression.")
    var runPattern: String?
    @Argument(help: "Files or directories.")
    var paths: [String] = ["."]

    func run() throws {
        let policy: Policy
        do {
            let loaded = try PolicyLoader(paths: paths)
            policy = try Policy(modules: loaded.modules, data: loaded.data)
        } catch {
            FileHandle.standardError.write(Data((PolicyOutput.errorsText(error) + "\n").utf8))
            throw ExitCode(1)
        }
        let filter = try runPattern.map { try Regex($0) }
        var results: [Value] = []
        var passed = 0, total = 0
        for path in policy.testRules {
            let name = "data." + path.joined(separator: ".")
            if let f = filter, (try? f.firstMatch(in: name)) == nil { continue }
            total += 1
            let start = DispatchTime.now().uptimeNanoseconds
            var outcome = "FAIL"
            var failure: String?
            do {
                let rows = try policy.prepare(name).eval(input: nil)
                if let v = rows.first?.expressions.first, v != .bool(false) { outcome = "PASS" }
            } catch {
                outcome = "ERROR"
                failure = PolicyOutput.errorsText(error)
            }
            let ns = DispatchTime.now().uptimeNanoseconds - start
            if outcome == "PASS" { passed += 1 }
            if format == "json" {
                var o: [Value: Value] = [.string("package"): .string("data." + path.dropLast().joined(separator: ".")),
                                         .string("name"): .string(path.last!), .string("duration"): .int(Int(ns))]
                if outcome == "FAIL" { o[.string("fail")] = .bool(true) }
                if let failure { o[.string("error")] = .object([.string("message"): .string(failure)]) }
                results.append(.object(o))
            } else if verbose || outcome != "PASS" {
                print("\(name): \(outcome)\(failure.map { " (\($0))" } ?? "") (\(formatDuration(ns)))")
            }
        }
        if format == "json" {
            print(Value.array(results).json(pretty: true))
        } else {
            if verbose || passed != total { print(String(repeating: "-", count: 80)) }
            if passed == total {
                print("PASS: \(passed)/\(total)")
            } else {
                print("PASS: \(passed)/\(total)")
                print("FAIL: \(total - passed)/\(total)")
            }
        }
        if passed != total { throw ExitCode(2) }
    }

    private func formatDuration(_ ns: UInt64) -> String {
        ns >= 1_000_000 ? String(format: "%.1fms", Double(ns) / 1e6) : String(format: "%.1fµs", Double(ns) / 1e3)
    }
}
