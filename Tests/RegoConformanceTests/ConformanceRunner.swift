import Foundation
import Rego

/// Runs one case with OPA's judging rules (v1/topdown/exported_test.go).
enum ConformanceRunner {
    enum Outcome {
        case pass
        case fail(String)
    }

    /// The standard builtins plus the test-only `test.sleep` OPA's harness registers.
    static let registry: BuiltinRegistry = {
        var r = BuiltinRegistry.standard
        r.register([Builtin("test.sleep", [.string], .null) { args, _ in
            guard case .string(let d) = args[0] else { return nil }
            var ms = 0.0
            if d.hasSuffix("ms"), let v = Double(d.dropLast(2)) { ms = v } else if d.hasSuffix("s"), let v = Double(d.dropLast()) { ms = v * 1000 }
            Thread.sleep(forTimeInterval: ms / 1000)
            return .null
        }])
        return r
    }()

    static func run(_ c: ConformanceCase) -> Outcome {
        var rows: [QueryRow]
        do {
            let modules = c.modules.enumerated().map { (name: "test-\($0.offset).rego", source: $0.element) }
            let policy = try Policy(modules: modules, data: c.data ?? .object([:]), builtins: registry)
            var input = c.input
            if let term = c.inputTerm {
                let q = try Policy(modules: [], builtins: registry).prepare("input_term_value = \(term)")
                input = try q.eval(input: nil).first?.bindings.first?.value
            }
            var options = EvalOptions()
            options.strictBuiltinErrors = c.strictError
            options.hostServices = ClockHostServices()
            options.timeoutNanoseconds = 5_000_000_000
            rows = try policy.prepare(c.query).eval(input: input, options: options)
        } catch {
            let (code, text) = describe(error)
            if c.wantError == nil && c.wantErrorCode == nil { return .fail("unexpected error: \(text)") }
            // an empty `want_error` matches any text, as a substring test in OPA's harness does
            if let w = c.wantError, !w.isEmpty, !text.contains(w) { return .fail("error text mismatch: \(text)") }
            if let w = c.wantErrorCode, code != w { return .fail("error code mismatch: \(text)") }
            return .pass
        }
        if c.wantError != nil || c.wantErrorCode != nil {
            return .fail("expected error, got \(rows.count) rows")
        }
        guard let want = c.wantResult else { return .fail("case has no expectation") }
        let got = Set(rows.map { row -> Value in
            var o: [Value: Value] = [:]
            for (n, v) in row.bindings { o[.string(n)] = canonical(v.jsonCompatible, c.sortBindings) }
            return .object(o)
        })
        let expected = Set(want.map { w -> Value in
            guard case .object(let o) = w else { return w }
            return .object(o.mapValues { canonical($0, c.sortBindings) })
        })
        if got == expected { return .pass }
        return .fail("result mismatch: got \(Value.set(got).json().prefix(300))")
    }

    static func canonical(_ v: Value, _ sort: Bool) -> Value {
        if sort, case .array(let a) = v { return .array(a.sorted()) }
        return v
    }

    static func describe(_ error: Error) -> (String, String) {
        if let e = error as? RegoError { return (e.code.rawValue, e.description) }
        if let es = error as? RegoErrors, let first = es.errors.first {
            return (first.code.rawValue, es.errors.map(\.description).joined(separator: "\n"))
        }
        return ("", "\(error)")
    }
}

/// The clock and randomness OPA's harness has (time builtins read them).
struct ClockHostServices: HostServices {
    func nowNanoseconds() throws -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000_000) }

    func randomBytes(count: Int) throws -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}
