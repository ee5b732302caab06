import Foundation
import Rego
import Testing

private func eval(_ modules: [String], _ query: String, input: Value? = nil, data: Value = .object([:])) throws -> [QueryRow] {
    let policy = try Policy(modules: modules.enumerated().map { ("m\($0.offset).rego", $0.element) }, data: data)
    return try policy.prepare(query).eval(input: input)
}

private func errors(_ body: () throws -> Void) -> [RegoError] {
    do {
        try body()
    } catch let e as RegoErrors {
        return e.errors
    } catch let e as RegoError {
        return [e]
    } catch {
        return []
    }
    return []
}

struct LanguageTests {
    @Test func parseErrorShowsLineAndCaret() {
        let errs = errors { _ = try eval(["package p\n\nallow if {\n\tx := [1,\n}\n"], "data.p.allow") }
        #expect(errs.first?.code == .parse)
        #expect(errs.first?.location?.row == 5)
        #expect(errs.first?.details.last?.hasSuffix("^") == true)
    }

    @Test func unsafeVariableIsReported() {
        let errs = errors { _ = try eval(["package p\n\nallow if {\n\tx > 1\n}\n"], "data.p.allow") }
        #expect(errs.first?.code == .unsafeVar)
        #expect(errs.first?.message == "var x is unsafe")
    }

    @Test func undefinedFunctionIsATypeError() {
        let errs = errors { _ = try eval(["package p\n\nallow if nope(1)\n"], "data.p.allow") }
        #expect(errs.first?.code == .type)
        #expect(errs.first?.message == "undefined function nope")
    }

    @Test func conflictingCompleteRulesRaise() {
        let errs = errors { _ = try eval(["package p\n\nx := 1\n\nx := 2\n"], "data.p.x") }
        #expect(errs.first?.code == .evalConflict)
        #expect(errs.first?.message == "complete rules must not produce multiple outputs")
    }

    @Test func bodiesAreReorderedForSafety() throws {
        let rows = try eval(["package p\n\nr contains y if {\n\ty == x + 1\n\tx := input.n[_]\n\ty := x + 1\n}\n"], "data.p.r", input: .object([.string("n"): .array([.int(1), .int(5)])]))
        #expect(rows.first?.expressions.first == .set([.int(2), .int(6)]))
    }

    @Test func withReplacesInputDataAndFunctions() throws {
        let m = "package p\n\nf(x) := x * 2\n\ng := f(3)\n\nh := data.k\n\nq := input.a\n"
        #expect(try eval([m], "data.p.g with data.p.f as 7").first?.expressions.first == .int(7))
        #expect(try eval([m], "data.p.h with data.k as \"v\"").first?.expressions.first == .string("v"))
        #expect(try eval([m], "data.p.q with input.a as 9").first?.expressions.first == .int(9))
        #expect(try eval([m], "data.p.q").isEmpty)
    }

    @Test func printShowsUndefinedOperands() throws {
        final class Sink: @unchecked Sendable { var lines: [String] = [] }
        let sink = Sink()
        var options = EvalOptions()
        options.printSink = { sink.lines.append($0) }
        let policy = try Policy(modules: [("m.rego", "package p\n\nr if {\n\tprint(\"a\", input.missing, {1})\n}\n")])
        _ = try policy.prepare("data.p.r").eval(input: .object([:]), options: options)
        #expect(sink.lines == ["a <undefined> {1}"])
    }

    @Test func timeLimitStopsEndlessWork() throws {
        let policy = try Policy(modules: [("m.rego", "package p\n\nr := count([x | some x in numbers.range(1, 20000); some y in numbers.range(1, 20000); x == y])\n")])
        var options = EvalOptions()
        options.timeoutNanoseconds = 50_000_000
        let errs = errors { _ = try policy.prepare("data.p.r").eval(input: nil, options: options) }
        #expect(errs.first?.code == .evalCancel)
    }

    @Test func preparedQueryServesManyThreads() async throws {
        let policy = try Policy(modules: [("m.rego", "package p\n\ndouble := input.n * 2\n")])
        let q = try policy.prepare("data.p.double")
        let results = try await withThrowingTaskGroup(of: (Int, Value?).self) { group in
            for i in 0..<64 {
                group.addTask { (i, try q.eval(input: .object([.string("n"): .int(i)])).first?.expressions.first) }
            }
            var out: [Int: Value?] = [:]
            for try await (i, v) in group { out[i] = v }
            return out
        }
        for i in 0..<64 { #expect(results[i] == .int(i * 2)) }
    }

    @Test func formattingIsIdempotent() throws {
        let src = "package   p\nimport rego.v1\n# rule comment\nallow if { input.a == 1; x := [y | y := input.b[_]]\n not  deny }\ndeny contains \"r\" if input.c > 2*3+1\nf(x) := x + 1\n"
        let once = try RegoFormatter.format(src)
        #expect(try RegoFormatter.format(once) == once)
        #expect(once.contains("# rule comment\nallow if {\n\tinput.a == 1\n"))
        let a = try Policy(modules: [("a.rego", src)]).prepare("data.p").eval(input: .object([.string("c"): .int(9)]))
        let b = try Policy(modules: [("b.rego", once)]).prepare("data.p").eval(input: .object([.string("c"): .int(9)]))
        #expect(a.first?.expressions == b.first?.expressions)
    }

    @Test func valuesRenderAsOPADoes() {
        let v: Value = .object([.string("b"): .set([.int(2), .int(1)]), .string("a"): .double(1.5), .string("c"): .double(3.0)])
        #expect(v.json() == "{\"a\":1.5,\"b\":[1,2],\"c\":3}")
        #expect(Value.set([]).regoText == "set()")
    }

    @Test func templatePartTakesWithModifiers() throws {
        let m = "package t\n\na := input.a\n\np := $\"a={a with input as {\"a\": 42}} b={a}\"\n"
        let rows = try eval([m], "data.t.p", input: .object([.string("a"): .int(1)]))
        #expect(rows.first?.expressions == [.string("a=42 b=1")])
        let undefined = try eval([m], "data.t.p", input: .object([:]))
        #expect(undefined.first?.expressions == [.string("a=42 b=<undefined>")])
    }

    @Test func templateFunctionOperandIsBuiltAfterTheBody() throws {
        let m = "package t\n\nf($\"{x}-{input.y}\") := 1 if x := \"k\"\n\np := f(\"k-v\")\n\nq := f(\"k-w\")\n"
        #expect(try eval([m], "data.t.p", input: .object([.string("y"): .string("v")])).first?.expressions == [.int(1)])
        #expect(try eval([m], "data.t.q", input: .object([.string("y"): .string("v")])).isEmpty)
    }

    @Test func overlappingRefHeadsJoinOrConflict() throws {
        // sets at the same path unite; disjoint keys merge
        let sets = "package t\n\np[q] contains r if {\n\tx := [\"a\", \"b\"]\n\tq := x[_]\n\tr := x[_]\n\tq != r\n}\n\np.b contains \"c\"\n\ns[k].x := 1 if some k in [\"m\"]\n\ns.m.y := 2\n"
        let v = try eval([sets], "data.t").first?.expressions.first
        #expect(v?.json() == "{\"p\":{\"a\":[\"b\"],\"b\":[\"a\",\"c\"]},\"s\":{\"m\":{\"x\":1,\"y\":2}}}")
        // the same key with two values is OPA's conflict
        let clash = "package t\n\np.q.r := 1\n\np.q[s] := 2 if s := \"r\"\n"
        let errs = errors { _ = try eval([clash], "data.t.p.q") }
        #expect(errs.map(\.code) == [.evalConflict])
        #expect(errs.first?.message == "object keys must be unique")
        // a rule's value is a whole document: another rule cannot add a key inside it
        let inject = "package t\n\np[q].r := {\"s\": {\"t\": 1}} if q := \"q\"\n\np.q.r.s.u := 42\n"
        #expect(errors { _ = try eval([inject], "data.t.p") }.map(\.code) == [.evalConflict])
    }

    @Test func numberKeyReadsBaseDocumentStringKey() throws {
        let data: Value = .object([.string("nested"): .object([.string("2"): .string("bar")]), .string("list"): .array([.string("x"), .string("y")])])
        #expect(try eval(["package t\n\np := data.nested[2]\n\nq := data.list[1]\n"], "[data.t.p, data.t.q]", data: data).first?.expressions == [.array([.string("bar"), .string("y")])])
        // a key that is not there stays undefined
        #expect(try eval([], "data.nested[3]", data: data).isEmpty)
    }

    @Test func baseDocumentAndRulesMergeWithTheBaseStanding() throws {
        let data: Value = .object([.string("c"): .object([.string("k"): .string("foo"), .string("b"): .int(1)])])
        let v = try eval(["package c\n\nk := \"bar\"\n\nr := 2\n"], "data.c", data: data).first?.expressions.first
        #expect(v?.json() == "{\"b\":1,\"k\":\"foo\",\"r\":2}")
    }
}
