extension BuiltinRegistry {
    /// Set operators and the n-ary set functions.
    static let sets: [Builtin] = [
        Builtin.function("and", [.anySet, .anySet], .anySet) { ops in
            .set(try ops.set(1).intersection(try ops.set(2)))
        },
        Builtin.function("or", [.anySet, .anySet], .anySet) { ops in
            .set(try ops.set(1).union(try ops.set(2)))
        },
        Builtin.function("intersection", [.set(.anySet)], .anySet) { ops in
            let sets = try setOfSets(ops)
            guard var result = sets.first else { return .set([]) }
            for s in sets.dropFirst() { result.formIntersection(s) }
            return .set(result)
        },
        Builtin.function("union", [.set(.anySet)], .anySet) { ops in
            var result = Set<Value>()
            for s in try setOfSets(ops) { result.formUnion(s) }
            return .set(result)
        },
    ]

    private static func setOfSets(_ ops: Operands) throws -> [Set<Value>] {
        try ops.set(1).map { element in
            guard case .set(let s) = element else {
                throw ops.operandError(1, "must be set of sets but got set containing \(element.typeName)")
            }
            return s
        }
    }
}
