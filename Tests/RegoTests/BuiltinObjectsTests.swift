import Testing
@testable import Rego

@Suite struct BuiltinObjectsTests {
    let doc = obj(("a", obj(("b", arr(.int(10), .int(20))))), ("c", .int(1)))

    @Test func getFollowsPaths() throws {
        #expect(try call("object.get", doc, s("c"), .null) == .int(1))
        #expect(try call("object.get", doc, s("zz"), s("dflt")) == s("dflt"))
        #expect(try call("object.get", doc, arr(s("a"), s("b"), .int(1)), .null) == .int(20))
        #expect(try call("object.get", doc, arr(s("a"), s("x")), .bool(false)) == .bool(false))
        #expect(try call("object.get", doc, arr(), .null) == doc)
        #expect(failure("object.get", s("x"), s("a"), .null) == BuiltinError(.type, "object.get: operand 1 must be object but got string"))
    }

    @Test func removeAndFilter() throws {
        #expect(try call("object.remove", doc, arr(s("a"))) == obj(("c", .int(1))))
        #expect(try call("object.remove", doc, obj(("c", .null))) == obj(("a", obj(("b", arr(.int(10), .int(20)))))))
        #expect(try call("object.filter", doc, set(s("c"), s("zz"))) == obj(("c", .int(1))))
        #expect(failure("object.remove", doc, s("a"))
            == BuiltinError(.type, "object.remove: operand 2 must be one of {object, set, array} but got string"))
    }

    @Test func unionMergesDeeply() throws {
        let a = obj(("x", obj(("y", .int(1)))), ("k", .int(1)))
        let b = obj(("x", obj(("z", .int(2)))), ("k", .int(2)))
        #expect(try call("object.union", a, b) == obj(("x", obj(("y", .int(1)), ("z", .int(2)))), ("k", .int(2))))
        let n = try call("object.union_n", arr(obj(("a", obj(("b", .int(2))))), obj(("a", .int(4))), obj(("a", obj(("c", .int(3)))))))
        #expect(n == obj(("a", obj(("c", .int(3))))))
        #expect(failure("object.union", arr(), obj()) == BuiltinError(.type, "object.union: operand 1 must be object but got array"))
    }

    @Test func keysAndSubset() throws {
        #expect(try call("object.keys", doc) == set(s("a"), s("c")))
        #expect(try call("object.subset", doc, obj(("a", obj(("b", arr(.int(20))))))) == .bool(true))
        #expect(try call("object.subset", doc, obj(("c", .int(2)))) == .bool(false))
        #expect(try call("object.subset", arr(.int(1), .int(2), .int(3)), arr(.int(2), .int(3))) == .bool(true))
        #expect(try call("object.subset", arr(.int(1), .int(2), .int(3)), arr(.int(1), .int(3))) == .bool(false))
        #expect(try call("object.subset", arr(.int(1), .int(2)), set(.int(2))) == .bool(true))
        #expect(try call("object.subset", set(.int(1), .int(2)), set(.int(3))) == .bool(false))
        #expect(failure("object.subset", .int(1), .int(2))
            == BuiltinError(.type, "object.subset: both arguments object.subset must be of the same type or array and set"))
    }

    @Test func arrays() throws {
        #expect(try call("array.concat", arr(.int(1)), arr(.int(2))) == arr(.int(1), .int(2)))
        #expect(try call("array.slice", arr(.int(1), .int(2), .int(3)), .int(-5), .int(2)) == arr(.int(1), .int(2)))
        #expect(try call("array.slice", arr(.int(1), .int(2)), .int(2), .int(1)) == arr())
        #expect(try call("array.reverse", arr(.int(1), .int(2))) == arr(.int(2), .int(1)))
        #expect(failure("array.reverse", obj()) == BuiltinError(.type, "array.reverse: operand 1 must be array but got object"))
    }

    @Test func sets() throws {
        #expect(try call("and", set(.int(1), .int(2)), set(.int(2), .int(3))) == set(.int(2)))
        #expect(try call("or", set(.int(1)), set(.int(2))) == set(.int(1), .int(2)))
        #expect(try call("intersection", set(set(.int(1), .int(2)), set(.int(2)))) == set(.int(2)))
        #expect(try call("union", set(set(.int(1)), set(.int(2)))) == set(.int(1), .int(2)))
        #expect(try call("intersection", set()) == set())
    }

    @Test func typesAndCasts() throws {
        #expect(try call("type_name", set()) == s("set"))
        #expect(try call("is_number", .double(1.5)) == .bool(true))
        #expect(try call("is_string", .int(1)) == .bool(false))
        #expect(try call("to_number", s("10")) == .int(10))
        #expect(try call("to_number", s("-1.5e2")) == .double(-150))
        #expect(try call("to_number", .bool(true)) == .int(1))
        #expect(try call("to_number", .null) == .int(0))
        #expect(failure("to_number", s("abc")) == BuiltinError(.builtin, "to_number: strconv.ParseFloat: parsing \"abc\": invalid syntax"))
        #expect(failure("to_number", s("Inf")) == BuiltinError(.type, "to_number: operand 1 must be valid number string but got string"))
        #expect(failure("to_number", arr()) == BuiltinError(.type, "to_number: operand 1 must be one of {null, boolean, number, string} but got array"))
    }
}
