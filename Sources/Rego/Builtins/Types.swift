extension BuiltinRegistry {
    /// The is_* predicates and type_name.
    static let types: [Builtin] = [
        predicate("is_number") { if case .number = $0 { return true }; return false },
        predicate("is_string") { if case .string = $0 { return true }; return false },
        predicate("is_boolean") { if case .bool = $0 { return true }; return false },
        predicate("is_array") { if case .array = $0 { return true }; return false },
        predicate("is_set") { if case .set = $0 { return true }; return false },
        predicate("is_object") { if case .object = $0 { return true }; return false },
        predicate("is_null") { if case .null = $0 { return true }; return false },
        Builtin.function("type_name", [.any], .string) { ops in .string(ops[1].typeName) },
    ]

    private static func predicate(_ name: String, _ test: @escaping @Sendable (Value) -> Bool) -> Builtin {
        Builtin.function(name, [.any], .boolean) { ops in .bool(test(ops[1])) }
    }
}
