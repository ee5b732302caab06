import BigInt
import Testing
@testable import Rego

@Suite struct BuiltinAggregatesTests {
    @Test func countCountsRunes() throws {
        #expect(try call("count", s("héllo")) == .int(5))
        #expect(try call("count", obj(("a", .int(1)))) == .int(1))
        #expect(failure("count", .int(1)) == BuiltinError(.type, "count: operand 1 must be one of {array, object, set, string} but got number"))
    }

    @Test func sumAndProduct() throws {
        #expect(try call("sum", arr(.int(1), .int(2), .int(3))) == .int(6))
        #expect(try call("sum", set(.double(0.5), .int(1))) == .double(1.5))
        #expect(try call("product", arr(.int(Int.max), .int(2))) == .number(.integer(BigInt(Int.max) * 2)))
        #expect(try call("product", arr()) == .int(1))
        #expect(failure("sum", arr(s("x"))) == BuiltinError(.type, "sum: operand 1 must be array of numbers but got array containing string"))
        #expect(failure("sum", s("x")) == BuiltinError(.type, "sum: operand 1 must be one of {set, array} but got string"))
    }

    @Test func maxMinSort() throws {
        #expect(try call("max", arr(.int(1), s("a"), .null)) == s("a"))
        #expect(try call("min", set(.int(3), .int(2))) == .int(2))
        #expect(try call("max", arr()) == nil)
        #expect(try call("sort", set(s("b"), s("a"), .int(1))) == arr(.int(1), s("a"), s("b")))
    }

    @Test func allAndAny() throws {
        #expect(try call("all", arr(.bool(true), .bool(true))) == .bool(true))
        #expect(try call("all", arr(.bool(true), .int(1))) == .bool(false))
        #expect(try call("all", set()) == .bool(true))
        #expect(try call("any", set(.bool(false), .bool(true))) == .bool(true))
        #expect(try call("any", arr()) == .bool(false))
    }
}
