import Foundation
import Rego
import Testing

/// The enterprise policy of the benchmark (`shared/tools/rego-oracle/large`).
@Suite struct LargePolicyTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/tools/rego-oracle/large")

    static func load() throws -> (query: PreparedQuery, inputs: [Value], expected: [Value]) {
        let dir = directory
        let source = try String(contentsOf: dir.appendingPathComponent("policy.rego"), encoding: .utf8)
        let data = try JSONReader.parse(String(contentsOf: dir.appendingPathComponent("data.json"), encoding: .utf8))
        let inputs = try JSONReader.parseAll(String(contentsOf: dir.appendingPathComponent("inputs.jsonl"), encoding: .utf8))
        let expected = try JSONReader.parseAll(String(contentsOf: dir.appendingPathComponent("expected.jsonl"), encoding: .utf8))
        let q = try Policy(modules: [("policy.rego", source)], data: data).prepare("data.cordon.authz.decision")
        return (q, inputs, expected)
    }

    /// Every one of the 1,000 decisions equals OPA's recorded one.
    @Test func agreesWithOPAOnEveryInput() throws {
        let (q, inputs, expected) = try Self.load()
        #expect(inputs.count == 1000 && expected.count == 1000)
        var agree = 0
        for i in inputs.indices {
            let got = try q.eval(input: inputs[i]).first?.expressions.first?.jsonCompatible
            #expect(got == expected[i], "input \(i)")
            if got == expected[i] { agree += 1 }
        }
        #expect(agree == 1000)
    }

    /// One prepared query evaluated from four threads at once gives each input the answer it
    /// gets alone (shared rule values and scan indexes are built while the threads race).
    @Test func concurrentEvaluationsAgree() throws {
        let (q, inputs, expected) = try Self.load()
        let slice = Array(inputs.prefix(200))
        let results = ResultBox(count: 4 * slice.count)
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            // each thread walks the inputs from a different start
            for n in slice.indices {
                let i = (n + t * 50) % slice.count
                let v = try? q.eval(input: slice[i]).first?.expressions.first?.jsonCompatible
                results.set(t * slice.count + i, v)
            }
        }
        for t in 0..<4 {
            for i in slice.indices {
                #expect(results.get(t * slice.count + i) == expected[i], "thread \(t) input \(i)")
            }
        }
    }
}

/// Results written from several threads.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ v: Value?) {
        lock.lock()
        values[i] = v
        lock.unlock()
    }

    func get(_ i: Int) -> Value? {
        lock.lock()
        defer { lock.unlock() }
        return values[i]
    }
}
