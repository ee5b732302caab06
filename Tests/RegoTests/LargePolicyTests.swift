import Foundation
import Rego
import Testing

/// The enterprise policy of the benchmark: answers must equal OPA's recorded ones.
@Test func enterprisePolicyAgreesWithOPA() throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/tools/rego-oracle/large")
    let source = try String(contentsOf: dir.appendingPathComponent("policy.rego"), encoding: .utf8)
    let data = try JSONReader.parse(String(contentsOf: dir.appendingPathComponent("data.json"), encoding: .utf8))
    let inputs = try JSONReader.parseAll(String(contentsOf: dir.appendingPathComponent("inputs.jsonl"), encoding: .utf8))
    let expected = try JSONReader.parseAll(String(contentsOf: dir.appendingPathComponent("expected.jsonl"), encoding: .utf8))
    #expect(inputs.count == 1000 && expected.count == 1000)
    let q = try Policy(modules: [("policy.rego", source)], data: data).prepare("data.cordon.authz.decision")
    // every 10th input keeps the debug-build run short; the benchmark checks all 1000
    for i in stride(from: 0, to: inputs.count, by: 10) {
        let got = try q.eval(input: inputs[i]).first?.expressions.first?.jsonCompatible
        #expect(got == expected[i], "input \(i)")
    }
}
