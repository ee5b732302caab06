import Testing
@testable import Rego

@Suite struct BuiltinStringsTests {
    @Test func searchingIsByBytes() throws {
        // "é" composed and decomposed are different bytes: Go, and so Rego, tells them apart.
        #expect(try call("contains", s("caf\u{E9}"), s("e\u{301}")) == .bool(false))
        #expect(try call("startswith", s("foobar"), s("foo")) == .bool(true))
        #expect(try call("endswith", s("foobar"), s("bar")) == .bool(true))
        #expect(try call("strings.count", s("cheese"), s("e")) == .int(3))
        #expect(try call("strings.count", s("five"), s("")) == .int(5))
    }

    @Test func indexingIsByRunes() throws {
        #expect(try call("indexof", s("héllo"), s("l")) == .int(2))
        #expect(try call("indexof", s("abc"), s("z")) == .int(-1))
        #expect(try call("indexof_n", s("aaa"), s("aa")) == arr(.int(0), .int(1)))
        #expect(failure("indexof", s("abc"), s("")) == BuiltinError(.builtin, "indexof: empty search character"))
        #expect(try call("substring", s("héllo"), .int(1), .int(3)) == s("éll"))
        #expect(try call("substring", s("abc"), .int(1), .int(-1)) == s("bc"))
        #expect(try call("substring", s("abc"), .int(5), .int(1)) == s(""))
        #expect(failure("substring", s("abc"), .int(-1), .int(1)) == BuiltinError(.builtin, "substring: negative offset"))
    }

    @Test func splitReplaceConcat() throws {
        #expect(try call("split", s("a.b.c"), s(".")) == arr(s("a"), s("b"), s("c")))
        #expect(try call("split", s("abc"), s("")) == arr(s("a"), s("b"), s("c")))
        #expect(try call("replace", s("abc"), s(""), s("-")) == s("-a-b-c-"))
        #expect(try call("strings.replace_n", obj(("a", s("b")), ("b", s("a"))), s("ab")) == s("ba"))
        #expect(failure("strings.replace_n", .object([.int(1): s("x")]), s("a"))
            == BuiltinError(.type, "strings.replace_n: operand 1 non-string key found in pattern object"))
        #expect(try call("concat", s(","), set(s("b"), s("a"))) == s("a,b"))
        #expect(failure("concat", s(","), arr(s("a"), .int(1)))
            == BuiltinError(.type, "concat: operand 2 must be array of strings but got array containing number"))
    }

    @Test func trimFamily() throws {
        #expect(try call("trim", s("xxhixx"), s("x")) == s("hi"))
        #expect(try call("trim_left", s("xxhi"), s("x")) == s("hi"))
        #expect(try call("trim_right", s("hixx"), s("x")) == s("hi"))
        #expect(try call("trim_prefix", s("prefix-x"), s("prefix-")) == s("x"))
        #expect(try call("trim_suffix", s("x.rego"), s(".rego")) == s("x"))
        #expect(try call("trim_space", s(" \t hi \n")) == s("hi"))
    }

    @Test func caseMapping() throws {
        #expect(try call("upper", s("abc")) == s("ABC"))
        #expect(try call("lower", s("ÀB")) == s("àb"))
        // ß has no single-rune upper case, so Go leaves it.
        #expect(try call("upper", s("ß")) == s("ß"))
        #expect(try call("strings.reverse", s("abç")) == s("çba"))
    }

    @Test func formatInt() throws {
        #expect(try call("format_int", .int(255), .int(16)) == s("ff"))
        #expect(try call("format_int", .double(-5.9), .int(2)) == s("-101"))
        #expect(failure("format_int", .int(1), .int(3)) == BuiltinError(.type, "format_int: operand 2 must be one of {2, 8, 10, 16}"))
    }

    @Test func prefixMatching() throws {
        #expect(try call("strings.any_prefix_match", arr(s("abc"), s("x")), s("ab")) == .bool(true))
        #expect(try call("strings.any_suffix_match", s("abc"), set(s("bc"), s("z"))) == .bool(true))
        #expect(try call("strings.any_suffix_match", s("abc"), arr()) == .bool(false))
        #expect(failure("strings.any_prefix_match", .int(1), s("a"))
            == BuiltinError(.type, "strings.any_prefix_match: operand 1 must be one of {string, set, array} but got number"))
        #expect(failure("strings.any_prefix_match", arr(.int(1)), s("a"))
            == BuiltinError(.type, "strings.any_prefix_match: operand 1 must be array of strings but got array containing number"))
    }

    @Test func sprintfFollowsGo() throws {
        #expect(try call("sprintf", s("%d items"), arr(.int(3))) == s("3 items"))
        #expect(try call("sprintf", s("%s=%v"), arr(s("k"), set(.int(2), .int(1)))) == s("k={1, 2}"))
        #expect(try call("sprintf", s("%v"), arr(obj(("a", s("x"))))) == s("{\"a\": \"x\"}"))
        #expect(try call("sprintf", s("%.2f"), arr(.double(3.14159))) == s("3.14"))
        #expect(try call("sprintf", s("%5d|%-5d|%05d"), arr(.int(42), .int(42), .int(42))) == s("   42|42   |00042"))
        #expect(try call("sprintf", s("%x %X %o %b"), arr(.int(255), .int(255), .int(8), .int(5))) == s("ff FF 10 101"))
        #expect(try call("sprintf", s("%q"), arr(s("a\"b"))) == s("\"a\\\"b\""))
        #expect(try call("sprintf", s("%v %v %v"), arr(.double(2.5e-5), .double(0.5), .double(3.0))) == s("2.5e-05 0.5 3"))
        #expect(try call("sprintf", s("%e|%f|%.1e"), arr(.double(123456.789), .double(1.5), .double(0.25))) == s("1.234568e+05|1.500000|2.5e-01"))
        #expect(try call("sprintf", s("%f"), arr(.int(1))) == s("%!f(int64=1)"))
        #expect(try call("sprintf", s("%d"), arr(s("x"))) == s("%!d(string=x)"))
        #expect(try call("sprintf", s("%d %d"), arr(.int(1))) == s("1 %!d(MISSING)"))
        #expect(try call("sprintf", s("%d"), arr(.int(1), s("x"))) == s("1%!(EXTRA string=x)"))
        #expect(try call("sprintf", s("100%%"), arr()) == s("100%"))
        #expect(try call("sprintf", s("%v"), arr(.bool(true))) == s("true"))
        #expect(try call("sprintf", s("%s"), arr(.null)) == s("null"))
    }
}
