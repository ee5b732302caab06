/// The part of OPA's type checker that needs no inference: a builtin called with the wrong
/// number of operands, or with a constant operand whose kind its signature excludes, is a
/// `rego_type_error` at compile time. Operands whose type is only known at evaluation (input,
/// data, variables) are left to the builtin, so no program OPA accepts is rejected.
extension Compiler {
    /// Checks a call's operands against its builtin's declared signature.
    func checkCall(_ name: String, _ target: CallTarget, _ args: [CTerm], _ loc: SourceLocation) throws {
        guard case .builtin(let bname) = target, let b = builtins[bname] else { return }
        if args.count != b.parameters.count {
            throw RegoError(.type, "\(name): arity mismatch\n\thave: \(args.count) operands\n\twant: \(b.parameters.count) operands", loc)
        }
        let mismatch = zip(args, b.parameters).contains { arg, type in
            guard case .value(let v) = arg else { return false }
            return !Compiler.kindAdmitted(type, v)
        }
        guard mismatch else { return }
        let have = args.map { a -> String in
            if case .value(let v) = a { return v.typeName }
            return "any"
        }
        throw RegoError(.type, "\(name): invalid argument(s)\n\thave: (\(have.joined(separator: ", ")))\n\twant: (\(b.parameters.map(Compiler.typeText).joined(separator: ", ")))", loc)
    }

    /// True when the value's kind is one the type allows (element types are not looked at).
    static func kindAdmitted(_ t: BuiltinType, _ v: Value) -> Bool {
        switch (t, v) {
        case (.any, _), (.null, .null), (.boolean, .bool), (.number, .number), (.string, .string),
             (.array, .array), (.set, .set), (.object, .object):
            return true
        case (.anyOf(let ts), _):
            return ts.contains { kindAdmitted($0, v) }
        default:
            return false
        }
    }

    /// OPA's rendering of a type: `array[string]`, `object[string: any]`, `any<number, string>`.
    static func typeText(_ t: BuiltinType) -> String {
        switch t {
        case .any: return "any"
        case .null: return "null"
        case .boolean: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array(let e): return "array[\(typeText(e))]"
        case .set(let e): return "set[\(typeText(e))]"
        case .object(let k, let v): return "object[\(typeText(k)): \(typeText(v))]"
        case .anyOf(let ts): return "any<\(ts.map(typeText).joined(separator: ", "))>"
        }
    }
}
