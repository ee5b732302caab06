import Foundation
import Rego
import Testing

/// `trace(msg)` notes and the full evaluation trace behind `--explain notes|full`.
struct TraceTests {
    private let module = """
    package authz

    allow if {
    \ttrace("checking roles")
    \tsome r in input.roles
    \tr == "admin"
    }

    """

    private func run(full: Bool, input: Value) throws -> (TraceRecorder, [QueryRow]) {
        let recorder = TraceRecorder(full: full)
        var options = EvalOptions()
        options.tracer = recorder
        let rows = try Policy(modules: [("authz.rego", module)]).prepare("data.authz.allow").eval(input: input, options: options)
        return (recorder, rows)
    }

    private let roles: Value = .object([.string("roles"): .array([.string("dev"), .string("admin")])])

    @Test func notesRecordOnlyTraceCalls() throws {
        let (recorder, rows) = try run(full: false, input: roles)
        #expect(rows.first?.expressions == [.bool(true)])
        #expect(recorder.events.map(\.op) == [.note])
        #expect(recorder.events.first?.detail == "checking roles")
        #expect(recorder.render(sources: ["authz.rego": module]) == ["authz.rego:4 | Note \"checking roles\""])
    }

    @Test func fullTraceShowsEveryStepInOrder() throws {
        let (recorder, _) = try run(full: true, input: roles)
        let ops = recorder.events.map(\.op)
        // enter the rule; the first role fails the comparison, the iteration is redone, the second succeeds
        #expect(ops.first == .enter)
        #expect(ops.last == .exit)
        #expect(ops.contains(.note))
        let fail = try #require(ops.firstIndex(of: .fail))
        let redo = try #require(ops.firstIndex(of: .redo))
        #expect(fail < redo)
        let lines = recorder.render(sources: ["authz.rego": module])
        #expect(lines.first == "authz.rego:3 Enter data.authz.allow")
        #expect(lines.contains("authz.rego:6 | Fail r == \"admin\""))
        #expect(lines.contains("authz.rego:5 | Redo some r in input.roles"))
    }

    @Test func ruleWithoutSolutionHasNoExit() throws {
        let (recorder, rows) = try run(full: true, input: .object([.string("roles"): .array([.string("dev")])]))
        #expect(rows.isEmpty)
        #expect(recorder.events.first?.op == .enter)
        #expect(!recorder.events.contains { $0.op == .exit })
        #expect(recorder.events.contains { $0.op == .fail })
    }

    @Test func functionCallsEnterAndExitOneLevelDeeper() throws {
        let m = "package f\n\ndouble(x) := y if {\n\ty := x * 2\n}\n\np := double(2)\n"
        let recorder = TraceRecorder(full: true)
        var options = EvalOptions()
        options.tracer = recorder
        _ = try Policy(modules: [("f.rego", m)]).prepare("data.f.p").eval(input: nil, options: options)
        let entries = recorder.events.filter { $0.op == .enter || $0.op == .exit }.map { "\($0.op.rawValue) \($0.detail ?? "") \($0.depth)" }
        #expect(entries == ["Enter data.f.p 0", "Enter data.f.double 1", "Exit data.f.double 1", "Exit data.f.p 0"])
    }

    @Test func noTracerRecordsNothingAndTraceIsTrue() throws {
        let rows = try Policy(modules: [("authz.rego", module)]).prepare("data.authz.allow").eval(input: roles)
        #expect(rows.first?.expressions == [.bool(true)])
    }
}
