import Testing
@testable import Rego

@Suite struct BuiltinJSONTests {
    @Test func marshalSortsAndEscapesLikeGo() throws {
        #expect(try call("json.marshal", obj(("b", set(.int(2), .int(1))), ("a", s("<&>")))) == s("{\"a\":\"\\u003c\\u0026\\u003e\",\"b\":[1,2]}"))
        #expect(try call("json.marshal", arr(.double(1.5), .null, .bool(true))) == s("[1.5,null,true]"))
    }

    @Test func marshalWithOptions() throws {
        let value = arr(.int(1), .int(2))
        #expect(try call("json.marshal_with_options", value, obj()) == s("[1,2]"))
        #expect(try call("json.marshal_with_options", value, obj(("pretty", .bool(true)))) == s("[\n\t1,\n\t2\n]"))
        #expect(try call("json.marshal_with_options", value, obj(("prefix", s("> ")), ("indent", s("  ")))) == s("> [\n>   1,\n>   2\n> ]"))
        #expect(try call("json.marshal_with_options", arr(), obj(("indent", s("  ")), ("prefix", s("---")))) == s("---[]"))
        #expect(failure("json.marshal_with_options", value, obj(("bogus", .bool(true))))
            == BuiltinError(.type, "json.marshal_with_options: operand 2 object contained unknown key \"bogus\""))
    }

    @Test func unmarshalKeepsIntegersExact() throws {
        #expect(try call("json.unmarshal", s("{\"a\":[1,2.5,\"x\",null,true,12345678901234567890]}"))
            == obj(("a", arr(.int(1), .double(2.5), s("x"), .null, .bool(true), .number(.integer(BigIntLiteral.big))))))
        #expect(try call("json.unmarshal", s("\"\\u00e9\\ud83d\\ude00\"")) == s("é😀"))
        #expect(failure("json.unmarshal", s("{")) == BuiltinError(.builtin, "json.unmarshal: unexpected EOF"))
        #expect(failure("json.unmarshal", s(" ")) == BuiltinError(.builtin, "json.unmarshal: EOF"))
        #expect(failure("json.unmarshal", s("1 2")) == BuiltinError(.builtin, "json.unmarshal: error: invalid character '2' after top-level value"))
        #expect(failure("json.unmarshal", s("x")) == BuiltinError(.builtin, "json.unmarshal: invalid character 'x' looking for beginning of value"))
        #expect(try call("json.is_valid", s("[1,2]")) == .bool(true))
        #expect(try call("json.is_valid", s("[1,2")) == .bool(false))
        #expect(try call("json.is_valid", .int(1)) == .bool(false))
    }

    @Test func filterAndRemove() throws {
        let doc = obj(("a", obj(("b", obj(("c", .int(7)), ("d", .int(8)))))), ("e", .int(9)))
        #expect(try call("json.filter", doc, set(s("a/b/c"), s("e"))) == obj(("a", obj(("b", obj(("c", .int(7)))))), ("e", .int(9))))
        #expect(try call("json.remove", doc, arr(s("a/b/c"), s("e"))) == obj(("a", obj(("b", obj(("d", .int(8))))))))
        #expect(try call("json.remove", doc, set(arr(s("a")))) == obj(("e", .int(9))))
        let listDoc = obj(("a", arr(obj(("b", .int(7)), ("c", .int(8))), obj(("d", .int(9))))))
        #expect(try call("json.filter", listDoc, set(s("a/0/b"), s("a/1"))) == obj(("a", arr(obj(("b", .int(7))), obj(("d", .int(9)))))))
        #expect(try call("json.remove", listDoc, set(s("a/0/b"), s("a/1"))) == obj(("a", arr(obj(("c", .int(8)))))))
        #expect(failure("json.remove", doc, s("a")) == BuiltinError(.type, "json.remove: operand 2 must be one of {set, array} but got string"))
        #expect(failure("json.remove", doc, arr(.int(1)))
            == BuiltinError(.type, "json.remove: operand 2 must be one of {set, array} containing string paths or array of path segments but got number"))
    }

    @Test func patch() throws {
        let doc = obj(("a", arr(.int(1))))
        let ops = arr(
            obj(("op", s("add")), ("path", s("/a/-")), ("value", .int(2))),
            obj(("op", s("add")), ("path", s("/b")), ("value", s("x"))),
            obj(("op", s("copy")), ("from", s("/b")), ("path", s("/c"))),
            obj(("op", s("remove")), ("path", s("/b"))),
            obj(("op", s("test")), ("path", s("/c")), ("value", s("x")))
        )
        #expect(try call("json.patch", doc, ops) == obj(("a", arr(.int(1), .int(2))), ("c", s("x"))))
        #expect(try call("json.patch", doc, arr(obj(("op", s("remove")), ("path", s("/zz"))))) == nil)
        #expect(try call("json.patch", doc, arr(obj(("op", s("replace")), ("path", s("")), ("value", .int(1))))) == .int(1))
    }

    @Test func yamlRoundTrip() throws {
        let value = arr(obj(("foo", set(.int(1), .int(2), .int(3)))), obj(("name", s("true")), ("n", .double(1.5))))
        guard case .string(let text)? = try call("yaml.marshal", value) else {
            Issue.record("yaml.marshal must return a string")
            return
        }
        let back = try call("yaml.unmarshal", s(text))
        #expect(back == arr(obj(("foo", arr(.int(1), .int(2), .int(3)))), obj(("name", s("true")), ("n", .double(1.5)))))
        #expect(try call("yaml.unmarshal", s("a: yes\nb: [1, 2]\nc: hello\n")) == obj(("a", .bool(true)), ("b", arr(.int(1), .int(2))), ("c", s("hello"))))
        #expect(try call("yaml.is_valid", s("a: [1, 2")) == .bool(false))
        let error = failure("yaml.unmarshal", s("[1,2,3"))
        #expect(error?.kind == .builtin)
        #expect(error?.message.hasPrefix("yaml.unmarshal: yaml: line 1: did not find") == true, "\(String(describing: error))")
    }
}

private enum BigIntLiteral {
    static let big = BigInt(1_234_567_890) * BigInt(10_000_000_000) + BigInt(1_234_567_890)
}

import BigInt
