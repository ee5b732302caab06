import Testing
@testable import Rego

@Suite struct BuiltinEncodingTests {
    @Test func base64() throws {
        #expect(try call("base64.encode", s("hello")) == s("aGVsbG8="))
        #expect(try call("base64.decode", s("aGVsbG8=")) == s("hello"))
        #expect(try call("base64.is_valid", s("aGVsbG8=")) == .bool(true))
        #expect(try call("base64.is_valid", s("aGVsbG8")) == .bool(false))
        #expect(failure("base64.decode", s("a$==")) == BuiltinError(.builtin, "base64.decode: illegal base64 data at input byte 1"))
    }

    @Test func base64url() throws {
        #expect(try call("base64url.encode", s("\u{FB}\u{FF}")) == s("w7vDvw=="))
        #expect(try call("base64url.encode_no_pad", s("hi?")) == s("aGk_"))
        #expect(try call("base64url.decode", s("aGk_")) == s("hi?"))
        #expect(try call("base64url.decode", s("aGk")) == s("hi"))
        #expect(failure("base64url.decode", s("a")) == BuiltinError(.builtin, "base64url.decode: illegal base64url string: a"))
    }

    @Test func hex() throws {
        #expect(try call("hex.encode", s("Hi")) == s("4869"))
        #expect(try call("hex.decode", s("4869")) == s("Hi"))
        #expect(failure("hex.decode", s("4g")) == BuiltinError(.builtin, "hex.decode: encoding/hex: invalid byte: U+0067 'g'"))
        #expect(failure("hex.decode", s("486")) == BuiltinError(.builtin, "hex.decode: encoding/hex: odd length hex string"))
    }

    @Test func urlQuery() throws {
        #expect(try call("urlquery.encode", s("a b&c=d/é")) == s("a+b%26c%3Dd%2F%C3%A9"))
        #expect(try call("urlquery.decode", s("a+b%26c")) == s("a b&c"))
        #expect(failure("urlquery.decode", s("%zz")) == BuiltinError(.builtin, "urlquery.decode: invalid URL escape \"%zz\""))
        #expect(try call("urlquery.encode_object", obj(("b", arr(s("1"), s("2"))), ("a", s("x y")))) == s("a=x+y&b=1&b=2"))
        #expect(try call("urlquery.decode_object", s("a=1&b=2&a=3")) == obj(("a", arr(s("1"), s("3"))), ("b", arr(s("2")))))
        #expect(failure("urlquery.encode_object", obj(("a", .int(1))))
            == BuiltinError(.type, "urlquery.encode_object: operand 1 values must be string, array[string], or set[string]"))
    }

    @Test func bits() throws {
        #expect(try call("bits.and", .int(12), .int(10)) == .int(8))
        #expect(try call("bits.or", .int(12), .int(10)) == .int(14))
        #expect(try call("bits.xor", .int(12), .int(10)) == .int(6))
        #expect(try call("bits.negate", .int(5)) == .int(-6))
        #expect(try call("bits.and", .int(-1), .int(255)) == .int(255))
        #expect(try call("bits.lsh", .int(1), .int(70)) == .number(.integer(BigInt(1) << 70)))
        #expect(try call("bits.rsh", .int(-9), .int(1)) == .int(-5))
        #expect(try call("bits.rsh", .int(5), .int(1000)) == .int(0))
        #expect(failure("bits.lsh", .int(1), .int(-1))
            == BuiltinError(.type, "bits.lsh: operand 2 must be an unsigned integer number but got a negative integer"))
        #expect(failure("bits.and", .double(1.5), .int(1))
            == BuiltinError(.type, "bits.and: operand 1 must be integer number but got floating-point number"))
    }

    @Test func graph() throws {
        let g = obj(("a", arr(s("b"))), ("b", set(s("c"))), ("c", arr()), ("d", arr(s("a"))))
        #expect(try call("graph.reachable", g, arr(s("a"))) == set(s("a"), s("b"), s("c")))
        #expect(try call("graph.reachable", g, set(s("zz"))) == set())
        #expect(try call("graph.reachable_paths", g, arr(s("a"))) == set(arr(s("a"), s("b"), s("c"))))
        let cyclic = obj(("a", arr(s("b"))), ("b", arr(s("a"))))
        #expect(try call("graph.reachable_paths", cyclic, arr(s("a"))) == set(arr(s("a"), s("b"))))
        #expect(failure("graph.reachable", g, s("a")) == BuiltinError(.type, "graph.reachable: operand 2 must be {array, set} but got string"))
    }
}

import BigInt

@Suite struct BuiltinRuntimeTests {
    struct FixedClock: HostServices {
        func nowNanoseconds() throws -> Int64 { 1_700_000_000_000_000_000 }
        func randomBytes(count: Int) throws -> [UInt8] { [] }
    }

    @Test func nowIsTheEvaluationStartAndNeedsAClock() throws {
        let builtin = try #require(BuiltinRegistry.standard["time.now_ns"])
        let withClock = BuiltinContext(strictBuiltinErrors: true, hostServices: FixedClock(), evaluationStartNanoseconds: 42, printSink: { _ in })
        #expect(try builtin.implementation([], withClock) == .int(42))
        #expect(builtin.nondeterministic)
        #expect(throws: BuiltinError.self) { try call("time.now_ns") }
        #expect(try call("opa.runtime") == obj())
    }

    @Test func flattenAndGraphWalks() throws {
        #expect(try call("array.flatten", arr(.int(1), arr(.int(2), arr(.int(3))), arr())) == arr(.int(1), .int(2), arr(.int(3))))
        let g = obj(
            ("one", arr(s("two"), s("five"))), ("two", arr(s("four"))), ("three", arr(s(""))), ("four", arr(s("three"))),
            ("five", arr(s("seven"), s("six"))), ("six", arr(s("nine"), s("seven"))), ("seven", arr(s("eight"))),
            ("eight", arr(s("three"))), ("nine", arr(s("")))
        )
        #expect(try call("graph.reachable_paths", g, set(s("one"))) == set(
            arr(s("one"), s("five"), s("seven"), s("eight"), s("three")), arr(s("one"), s("five"), s("six")),
            arr(s("one"), s("five"), s("six"), s("nine")), arr(s("one"), s("two"), s("four"), s("three"))
        ))
        #expect(try call("json.patch", s("foo"), arr(obj(("op", s("replace")), ("path", s("")), ("value", s("bar"))))) == s("bar"))
        #expect(try call("json.patch", obj(("foo", set(s("a")))), arr(obj(("op", s("add")), ("path", s("foo/d")), ("value", s("e"))))) == nil)
        #expect(try call("json.patch", obj(("foo", set(s("a")))), arr(obj(("op", s("add")), ("path", s("foo/e")), ("value", s("e"))))) == obj(("foo", set(s("a"), s("e")))))
    }
}

@Suite struct BuiltinUnitsTests {
    @Test func parse() throws {
        #expect(try call("units.parse", s("10Ki")) == .int(10240))
        #expect(try call("units.parse", s("1.1Ki")) == .double(1126.4))
        #expect(try call("units.parse", s("500m")) == .double(0.5))
        #expect(try call("units.parse", s("0.0005K")) == .double(0.5))
        #expect(try call("units.parse", s("-3.5E2m")) == .double(-0.35))
        #expect(try call("units.parse", s("10E")) == .number(.integer(BigInt(10).power(19))))
        #expect(try call("units.parse", s("\"100TI\"")) == .int(109_951_162_777_600))
        #expect(failure("units.parse", s("G")) == BuiltinError(.builtin, "units.parse: no amount provided"))
        #expect(failure("units.parse", s("0.0.0")) == BuiltinError(.builtin, "units.parse: could not parse amount to a number"))
        #expect(failure("units.parse", s("100 k")) == BuiltinError(.builtin, "units.parse: spaces not allowed in resource strings"))
        #expect(failure("units.parse", s("1x")) == BuiltinError(.builtin, "units.parse: unit x not recognized"))
    }

    @Test func parseBytes() throws {
        #expect(try call("units.parse_bytes", s("1.1KiB")) == .int(1126))
        #expect(try call("units.parse_bytes", s("3.2E2MiB")) == .int(335_544_320))
        #expect(try call("units.parse_bytes", s("1e-2KB")) == .int(10))
        #expect(try call("units.parse_bytes", s(".0")) == .int(0))
        #expect(try call("units.parse_bytes", s("5E")) == .number(.integer(BigInt(5) * BigInt(10).power(18))))
        #expect(failure("units.parse_bytes", s("foo")) == BuiltinError(.builtin, "units.parse_bytes: no byte amount provided"))
        #expect(failure("units.parse_bytes", s("1e1234567")) == BuiltinError(.builtin, "units.parse_bytes: exponent too large"))
        #expect(failure("units.parse_bytes", s("1zb")) == BuiltinError(.builtin, "units.parse_bytes: byte unit zb not recognized"))
    }
}
