extension BuiltinRegistry {
    /// The comparison operators, over OPA's total order of values.
    static let comparison: [Builtin] = [
        compare("equal") { $0 == 0 },
        compare("neq") { $0 != 0 },
        compare("lt") { $0 < 0 },
        compare("lte") { $0 <= 0 },
        compare("gt") { $0 > 0 },
        compare("gte") { $0 >= 0 },
    ]

    private static func compare(_ name: String, _ test: @escaping @Sendable (Int) -> Bool) -> Builtin {
        Builtin.function(name, [.any, .any], .boolean) { ops in
            .bool(test(Value.compare(ops[1], ops[2])))
        }
    }
}
