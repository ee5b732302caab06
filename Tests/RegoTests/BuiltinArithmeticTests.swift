import BigInt
import Testing
@testable import Rego

@Suite struct BuiltinArithmeticTests {
    @Test func integersStayExact() throws {
        #expect(try call("plus", .int(2), .int(3)) == .int(5))
        #expect(try call("mul", .int(Int.max), .int(2)) == .number(.integer(BigInt(Int.max) * 2)))
        #expect(try call("minus", .int(Int.min), .int(1)) == .number(.integer(BigInt(Int.min) - 1)))
    }

    @Test func floatsComeBackWholeWhenWhole() throws {
        #expect(try call("mul", .double(1e6), .int(2)) == .int(2_000_000))
        guard case .number(.int(let i))? = try call("plus", .double(1.5), .double(1.5)) else {
            Issue.record("1.5 + 1.5 should be the integer 3")
            return
        }
        #expect(i == 3)
        #expect(try call("plus", .double(0.5), .int(1)) == .double(1.5))
    }

    @Test func divisionKeepsIntegersWhenExact() throws {
        #expect(try call("div", .int(6), .int(3)) == .int(2))
        #expect(try call("div", .int(1), .int(4)) == .double(0.25))
        #expect(failure("div", .int(1), .int(0)) == BuiltinError(.builtin, "div: divide by zero"))
        #expect(failure("div", .int(1), .double(0.0)) == BuiltinError(.builtin, "div: divide by zero"))
    }

    @Test func remainderOnlyOnIntegers() throws {
        #expect(try call("rem", .int(7), .int(4)) == .int(3))
        #expect(try call("rem", .int(-7), .int(4)) == .int(-3))
        #expect(failure("rem", .int(7), .int(0)) == BuiltinError(.builtin, "rem: modulo by zero"))
        #expect(failure("rem", .double(1.1), .int(1)) == BuiltinError(.builtin, "rem: modulo on floating-point number"))
    }

    @Test func operandTypeErrors() {
        #expect(failure("plus", s("a"), .int(1)) == BuiltinError(.type, "plus: operand 1 must be number but got string"))
        #expect(failure("minus", .int(1), set()) == BuiltinError(.type, "minus: operand 2 must be number but got set"))
        #expect(failure("minus", s("x"), .int(1)) == BuiltinError(.type, "minus: operand 1 must be one of {number, set} but got string"))
    }

    @Test func setDifference() throws {
        #expect(try call("minus", set(.int(1), .int(2)), set(.int(2))) == set(.int(1)))
    }

    @Test func rounding() throws {
        #expect(try call("round", .double(2.5)) == .int(3))
        #expect(try call("round", .double(-2.5)) == .int(-3))
        #expect(try call("ceil", .double(1.2)) == .int(2))
        #expect(try call("floor", .double(-1.2)) == .int(-2))
        #expect(try call("abs", .int(-10)) == .int(10))
        #expect(try call("abs", .double(-1.5)) == .double(1.5))
    }

    @Test func ranges() throws {
        #expect(try call("numbers.range", .int(1), .int(3)) == arr(.int(1), .int(2), .int(3)))
        #expect(try call("numbers.range", .int(3), .int(1)) == arr(.int(3), .int(2), .int(1)))
        #expect(try call("numbers.range_step", .int(0), .int(10), .int(4)) == arr(.int(0), .int(4), .int(8)))
        #expect(failure("numbers.range_step", .int(0), .int(10), .int(0))
            == BuiltinError(.builtin, "numbers.range_step: step must be a positive integer"))
        #expect(failure("numbers.range", .double(1.5), .int(2))
            == BuiltinError(.type, "numbers.range: operand 1 must be integer number but got floating-point number"))
    }

    @Test func comparisonUsesTheTotalOrder() throws {
        #expect(try call("lt", .null, .bool(false)) == .bool(true))
        #expect(try call("lt", s("Z"), s("a")) == .bool(true))
        #expect(try call("equal", .int(1), .double(1.0)) == .bool(true))
        #expect(try call("gte", arr(.int(1), .int(2)), arr(.int(1))) == .bool(true))
        #expect(try call("neq", set(.int(1)), set(.int(1))) == .bool(false))
    }
}

@Suite struct BuiltinBoundsTests {
    @Test func overflowingDoublesFailClosed() throws {
        // Whole doubles multiply exactly as integers; only a fractional operand can overflow a double.
        #expect(try call("mul", .double(1e308), .int(10)) == .number(.integer(BigInt(1e308) * 10)))
        #expect(failure("div", .double(1.5), .double(5e-324)) == BuiltinError(.builtin, "div: floating-point result out of range"))
    }

    @Test func deepInputsAreRefusedNotCrashed() {
        let deepJSON = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(failure("json.unmarshal", s(deepJSON)) == BuiltinError(.builtin, "json.unmarshal: exceeded max depth"))
        let deepRegex = String(repeating: "(", count: 5000) + String(repeating: ")", count: 5000)
        #expect(failure("regex.match", s(deepRegex), s(""))?.kind == .builtin)
        #expect(failure("numbers.range", .int(0), .int(100_000_000))?.kind == .builtin)
        #expect(failure("bits.lsh", .int(1), .int(1 << 30)) == BuiltinError(.builtin, "bits.lsh: shift count too large"))
    }
}
