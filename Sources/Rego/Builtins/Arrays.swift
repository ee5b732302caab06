extension BuiltinRegistry {
    /// array.concat, array.slice, array.reverse, array.flatten.
    static let arrays: [Builtin] = [
        Builtin.function("array.concat", [.anyArray, .anyArray], .anyArray) { ops in
            .array(try ops.array(1) + ops.array(2))
        },
        Builtin.function("array.slice", [.anyArray, .number, .number], .anyArray) { ops in
            let a = try ops.array(1)
            // OPA clamps both bounds into the array instead of failing.
            let start = max(0, try ops.int(2))
            let stop = min(a.count, try ops.int(3))
            return .array(start >= stop ? [] : Array(a[start..<stop]))
        },
        Builtin.function("array.reverse", [.anyArray], .anyArray) { ops in
            .array(try ops.array(1).reversed())
        },
        Builtin.function("array.flatten", [.anyArray], .anyArray) { ops in
            // One level, as OPA flattens: nested arrays inside nested arrays stay.
            var out: [Value] = []
            for item in try ops.array(1) {
                if case .array(let nested) = item { out += nested } else { out.append(item) }
            }
            return .array(out)
        },
    ]
}
