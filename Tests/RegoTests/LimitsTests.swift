import Foundation
import Rego
import Testing

/// The evaluation bounds: each trips with its own code, and a policy just under it passes.
struct LimitsTests {
    private func run(_ module: String, _ query: String, _ configure: (inout EvalOptions) -> Void) throws -> [QueryRow] {
        var options = EvalOptions()
        configure(&options)
        return try Policy(modules: [("m.rego", module)]).prepare(query).eval(input: nil, options: options)
    }

    private func code(_ body: () throws -> Void) -> RegoError.Code? {
        do {
            try body()
        } catch let e as RegoError {
            return e.code
        } catch {
            return nil
        }
        return nil
    }

    /// `n` rules in a chain: `p0` reads `p1`, ..., `p<n-1>` is `true`.
    private func chain(_ n: Int) -> String {
        var s = "package c\n\n"
        for i in 0..<(n - 1) { s += "p\(i) if p\(i + 1)\n" }
        return s + "p\(n - 1) := true\n"
    }

    @Test func depthLimitTrips() {
        let c = code { _ = try run(chain(11), "data.c.p0") { $0.maxDepth = 10 } }
        #expect(c == .evalLimit)
    }

    @Test func depthJustUnderTheLimitPasses() throws {
        let rows = try run(chain(10), "data.c.p0") { $0.maxDepth = 10 }
        #expect(rows.first?.expressions == [.bool(true)])
    }

    @Test func timeLimitTrips() {
        // about 10^9 steps: far beyond a 1 ms budget on any machine, ended by the deadline
        let module = "package t\n\nn := count([x | some a in numbers.range(1, 1000); some b in numbers.range(1, 1000); some c in numbers.range(1, 1000); x := [a, b, c]])\n"
        let c = code { _ = try run(module, "data.t.n") { $0.timeoutNanoseconds = 1_000_000 } }
        #expect(c == .evalCancel)
    }

    @Test func workWithinTheTimeLimitPasses() throws {
        let module = "package t\n\nn := count([x | some a in numbers.range(1, 10); some b in numbers.range(1, 10); x := [a, b]])\n"
        let rows = try run(module, "data.t.n") { $0.timeoutNanoseconds = 60_000_000_000 }
        #expect(rows.first?.expressions == [.int(100)])
    }

    @Test func outputLimitTrips() {
        // ["aaaaaaaaaa", ...] ten times: 10 * 12 + 9 + 2 = 131 bytes of JSON
        let module = "package o\n\nv := [s | some _ in numbers.range(1, 10); s := \"aaaaaaaaaa\"]\n"
        let c = code { _ = try run(module, "data.o.v") { $0.maxOutputBytes = 130 } }
        #expect(c == .evalLimit)
    }

    @Test func outputJustUnderTheLimitPasses() throws {
        let module = "package o\n\nv := [s | some _ in numbers.range(1, 10); s := \"aaaaaaaaaa\"]\n"
        let rows = try run(module, "data.o.v") { $0.maxOutputBytes = 131 }
        #expect(rows.count == 1)
    }

    @Test func outputLimitCountsEveryRow() {
        // each row is small; together they pass the bound
        let module = "package o\n\ns contains i if some i in numbers.range(1, 100)\n"
        let c = code { _ = try run(module, "data.o.s[x]") { $0.maxOutputBytes = 200 } }
        #expect(c == .evalLimit)
    }
}
