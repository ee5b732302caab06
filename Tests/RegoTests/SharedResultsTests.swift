import Rego
import Testing

/// What evaluations of one policy share (input-independent rule values, scan indexes) must
/// never change an answer: each case compares against a form the sharing cannot apply to.
@Suite struct SharedResultsTests {
    static func value(_ p: PreparedQuery, _ input: Value? = nil) throws -> Value? {
        try p.eval(input: input).first?.expressions.first
    }

    static let grants: Value = try! JSONReader.parse("""
        {"grants": [
          {"user": "ann", "kind": "read", "scope": "/a", "n": 1},
          {"user": "bob", "kind": "read", "scope": "/b", "n": 2.0},
          {"user": "ann", "kind": "write", "scope": "/c", "n": 2},
          {"user": "ann", "kind": "read", "scope": "/d", "n": 2},
          {"kind": "read", "scope": "/e", "n": 2},
          "not an object",
          {"user": "ann", "kind": "read", "scope": "/f"}
        ],
        "by_id": {"x": {"user": "ann", "n": 2}, "y": {"user": "bob", "n": 2}}}
        """)

    /// An indexed scan visits the same members in the same order as a full one.
    @Test func indexedScanEqualsFullScan() throws {
        let policy = try Policy(modules: [("p.rego", """
            package p
            indexed := [g.scope | some g in data.grants; g.user == input.user; g.n = input.n]
            full := [g.scope | some g in data.grants; true; g.user == input.user; g.n = input.n]
            keyed := {k | some k, g in data.by_id; input.user == g.user}
            keyed_full := {k | some k, g in data.by_id; true; input.user == g.user}
            """)], data: Self.grants)
        let indexed = try policy.prepare("data.p.indexed"), full = try policy.prepare("data.p.full")
        let keyed = try policy.prepare("data.p.keyed"), keyedFull = try policy.prepare("data.p.keyed_full")
        let inputs: [Value?] = [
            try JSONReader.parse(#"{"user": "ann", "n": 2}"#),
            try JSONReader.parse(#"{"user": "ann", "n": 2.0}"#),
            try JSONReader.parse(#"{"user": "bob", "n": 2}"#),
            try JSONReader.parse(#"{"user": "ann"}"#),
            try JSONReader.parse(#"{"user": "zed", "n": 1}"#),
            nil,
        ]
        for input in inputs {
            #expect(try Self.value(indexed, input) == Self.value(full, input), "\(String(describing: input))")
            #expect(try Self.value(keyed, input) == Self.value(keyedFull, input), "\(String(describing: input))")
        }
        #expect(try Self.value(indexed, inputs[0]) == .array([.string("/c"), .string("/d")]))
        #expect(try Self.value(keyed, inputs[0]) == .set([.string("x")]))
    }

    /// A rule that reads no input is computed once, but `with` still replaces what it reads.
    @Test func sharedRuleValuesHonourWith() throws {
        let policy = try Policy(modules: [("p.rego", """
            package p
            n := count(data.grants)
            users := {u | some g in data.grants; u := g.user}
            """)], data: Self.grants)
        let n = try policy.prepare("data.p.n")
        #expect(try Self.value(n) == .int(7))
        #expect(try Self.value(policy.prepare("data.p.n with data.grants as [1]")) == .int(1))
        #expect(try Self.value(policy.prepare("data.p.n with count as 42")) == .int(42))
        #expect(try Self.value(n) == .int(7))
        let users = try policy.prepare("data.p.users")
        #expect(try Self.value(users) == .set([.string("ann"), .string("bob")]))
        #expect(try Self.value(policy.prepare(#"data.p.users with data.grants as [{"user": "cy"}]"#)) == .set([.string("cy")]))
        #expect(try Self.value(users) == .set([.string("ann"), .string("bob")]))
    }

    /// A rule that reads input through another rule or a function is not shared.
    @Test func inputDependenceIsTransitive() throws {
        let policy = try Policy(modules: [("p.rego", """
            package p
            who := input.user
            greet(x) := concat(" ", ["hi", x, input.user])
            a := concat("/", [who, "x"])
            b := greet("there")
            """)], data: .object([:]))
        let a = try policy.prepare("data.p.a"), b = try policy.prepare("data.p.b")
        for user in ["ann", "bob", "ann"] {
            let input = Value.object([.string("user"): .string(user)])
            #expect(try Self.value(a, input) == .string("\(user)/x"))
            #expect(try Self.value(b, input) == .string("hi there \(user)"))
        }
    }
}
