import Foundation
import Rego
import Testing

/// Policies written as a user would, each with inputs and the answer real OPA gave
/// (`cases.json`, field `opa`; `null` is undefined).
struct UserPolicyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Policies")

    static let names = ["agent_authz", "path_rules", "host_rules", "consent_tokens", "decision_object",
                        "rbac", "exec_rules", "env_filter", "ref_heads", "quota"]

    @Test(arguments: names)
    func agreesWithOPA(_ name: String) throws {
        let dir = Self.root.appendingPathComponent(name)
        let source = try String(contentsOf: dir.appendingPathComponent("policy.rego"), encoding: .utf8)
        let data = try JSONReader.parse(String(contentsOf: dir.appendingPathComponent("data.json"), encoding: .utf8))
        guard case .array(let cases) = try JSONReader.parse(String(contentsOf: dir.appendingPathComponent("cases.json"), encoding: .utf8)) else {
            Issue.record("cases.json of \(name) is not an array")
            return
        }
        #expect(cases.count >= 2)
        let policy = try Policy(modules: [("policy.rego", source)], data: data)
        for c in cases {
            guard case .object(let o) = c, case .string(let query)? = o[.string("query")] else { continue }
            let rows = try policy.prepare(query).eval(input: o[.string("input")])
            let got = rows.first?.expressions.first?.jsonCompatible ?? .null
            #expect(got == o[.string("opa")], "\(name) with input \(o[.string("input")]!.json())")
        }
    }
}
