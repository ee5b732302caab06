import Foundation
import Rego
import Testing

/// Compile-time checks: recursion and statically known operand types are rejected before any
/// evaluation, with OPA's codes and texts; programs OPA accepts still compile.
struct CompileChecksTests {
    private func compileErrors(_ modules: [String]) -> [RegoError] {
        do {
            _ = try Policy(modules: modules.enumerated().map { ("m\($0.offset).rego", $0.element) })
        } catch let e as RegoErrors {
            return e.errors
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return []
    }

    @Test func mutualRecursionIsACompileError() {
        let errs = compileErrors(["package x\n\np if q\n\nq if p\n"])
        #expect(errs.map(\.code) == [.recursion, .recursion])
        #expect(errs.map(\.message).contains("rule data.x.p is recursive: data.x.p -> data.x.q -> data.x.p"))
        #expect(errs.map(\.message).contains("rule data.x.q is recursive: data.x.q -> data.x.p -> data.x.q"))
        #expect(errs.first?.description.hasPrefix("m0.rego:3: rego_recursion_error: rule data.x.") == true)
    }

    @Test func selfReferenceThroughThePackageIsRecursive() {
        let errs = compileErrors(["package x\n\np if data.x\n"])
        #expect(errs.map(\.message) == ["rule data.x.p is recursive: data.x.p -> data.x.p"])
    }

    @Test func recursiveFunctionIsACompileError() {
        let errs = compileErrors(["package x\n\nf(n) := y if {\n\tn > 0\n\ty := f(n - 1)\n}\n"])
        #expect(errs.map(\.code) == [.recursion])
        #expect(errs.first?.message == "rule data.x.f is recursive: data.x.f -> data.x.f")
    }

    @Test func recursionThroughAComprehensionAndElseIsFound() {
        let errs = compileErrors(["package x\n\na := [y | some y in b]\n\nb := 1 if false else := c\n\nc := count(a)\n"])
        #expect(errs.count == 3)
        #expect(errs.allSatisfy { $0.code == .recursion })
    }

    @Test func chainsAndSiblingsAreNotRecursive() {
        // a reference to a sibling rule, a dynamic key over other rules, and a function calling another
        let errs = compileErrors([
            "package x\n\np if q\n\nq if r[_]\n\nr contains 1\n\nf(a) := g(a) + 1\n\ng(a) := a * 2\n\ns := f(1)\n",
            "package y\n\nt := data.x.s\n\nu := [k | data.x[k]]\n",
        ])
        #expect(errs.isEmpty)
    }

    @Test func recursionIsRejectedBeforeEvaluation() throws {
        // the error comes from compiling, so a query against another rule never runs
        #expect(throws: RegoErrors.self) {
            _ = try Policy(modules: [("m.rego", "package x\n\nok := true\n\np if q\n\nq if p\n")]).prepare("data.x.ok")
        }
    }

    @Test func constantOperandOfWrongTypeIsATypeError() {
        let errs = compileErrors(["package x\n\np := count(1)\n"])
        #expect(errs.map(\.code) == [.type])
        #expect(errs.first?.message.hasPrefix("count: invalid argument(s)") == true)
    }

    @Test func arityMismatchIsATypeError() {
        let errs = compileErrors(["package x\n\np := count([1], [2])\n"])
        #expect(errs.map(\.code) == [.type])
        #expect(errs.first?.message.hasPrefix("count: arity mismatch") == true)
    }

    @Test func operandsOfUnknownTypeStillCompile() {
        // input and variables are only known at evaluation: OPA accepts these, and so must we
        let errs = compileErrors(["package x\n\np := count(input.x)\n\nq := concat(\",\", [input.a, \"b\"])\n\nr := upper(data.x.p)\n"])
        #expect(errs.isEmpty)
    }
}
