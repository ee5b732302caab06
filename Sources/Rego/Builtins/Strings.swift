import BigInt

extension BuiltinRegistry {
    /// String builtins, with Go's byte-wise matching and rune-wise indexing.
    static let strings: [Builtin] = [
        Builtin.function("concat", [.string, .anyOf([.set(.string), .array(.string)])], .string) { ops in
            let sep = try ops.string(1)
            let parts: [Value]
            switch ops[2] {
            case .array(let a): parts = a
            case .set(let s): parts = s.sorted()
            default: throw ops.typeError(2, "set", "array")
            }
            return .string(try parts.map { part in
                guard case .string(let s) = part else {
                    let kind = ops[2].typeName
                    throw ops.operandError(2, "must be \(kind) of strings but got \(kind) containing \(part.typeName)")
                }
                return s
            }.joined(separator: sep))
        },
        stringPair("contains") { .bool(GoStrings.contains($0, $1)) },
        stringPair("startswith") { .bool(GoStrings.hasPrefix($0, $1)) },
        stringPair("endswith") { .bool(GoStrings.hasSuffix($0, $1)) },
        stringPair("strings.count", .number) { .int(GoStrings.count($0, $1)) },
        Builtin.function("indexof", [.string, .string], .number) { ops in
            let base = try ops.string(1), search = try ops.string(2)
            if search.isEmpty { throw ops.failure("empty search character") }
            return .int(runeIndices(of: search, in: base).first ?? -1)
        },
        Builtin.function("indexof_n", [.string, .string], .array(.number)) { ops in
            let base = try ops.string(1), search = try ops.string(2)
            if search.isEmpty { throw ops.failure("empty search character") }
            return .array(runeIndices(of: search, in: base).map { .int($0) })
        },
        Builtin.function("substring", [.string, .number, .number], .string) { ops in
            let base = try ops.string(1), start = try ops.int(2), length = try ops.int(3)
            if start < 0 { throw ops.failure("negative offset") }
            let runes = Array(base.unicodeScalars)
            if start >= runes.count { return .string("") }
            let end = length < 0 ? runes.count : min(runes.count, start + length)
            var out = String.UnicodeScalarView()
            out.append(contentsOf: runes[start..<end])
            return .string(String(out))
        },
        stringUnary("lower") { GoStrings.mapCase($0, upper: false) },
        stringUnary("upper") { GoStrings.mapCase($0, upper: true) },
        stringUnary("trim_space") { s in
            let cut = s.unicodeScalars.filter(GoStrings.isSpace)
            return GoStrings.trimRight(GoStrings.trimLeft(s, Set(cut)), Set(cut))
        },
        stringUnary("strings.reverse") { s in
            var out = String.UnicodeScalarView()
            out.append(contentsOf: s.unicodeScalars.reversed())
            return String(out)
        },
        Builtin.function("split", [.string, .string], .array(.string)) { ops in
            .array(GoStrings.split(try ops.string(1), try ops.string(2)).map(Value.string))
        },
        Builtin.function("replace", [.string, .string, .string], .string) { ops in
            let s = try ops.string(1), old = try ops.string(2), new = try ops.string(3)
            return .string(GoStrings.replace(s, pairs: [(old, new)]))
        },
        Builtin.function("strings.replace_n", [.object(key: .string, value: .string), .string], .string) { ops in
            let patterns = try ops.object(1)
            let s = try ops.string(2)
            var pairs: [(old: String, new: String)] = []
            for key in patterns.keys.sorted() {
                guard case .string(let old) = key else { throw ops.operandError(1, "non-string key found in pattern object") }
                guard case .string(let new)? = patterns[key] else { throw ops.operandError(1, "non-string value found in pattern object") }
                pairs.append((old, new))
            }
            return .string(GoStrings.replace(s, pairs: pairs))
        },
        stringPair("trim", .string) { .string(GoStrings.trimRight(GoStrings.trimLeft($0, Set($1.unicodeScalars)), Set($1.unicodeScalars))) },
        stringPair("trim_left", .string) { .string(GoStrings.trimLeft($0, Set($1.unicodeScalars))) },
        stringPair("trim_right", .string) { .string(GoStrings.trimRight($0, Set($1.unicodeScalars))) },
        stringPair("trim_prefix", .string) { s, p in
            .string(GoStrings.hasPrefix(s, p) ? GoStrings.string(s.utf8.dropFirst(p.utf8.count)) : s)
        },
        stringPair("trim_suffix", .string) { s, p in
            .string(GoStrings.hasSuffix(s, p) ? GoStrings.string(s.utf8.dropLast(p.utf8.count)) : s)
        },
        Builtin.function("format_int", [.number, .number], .string) { ops in
            let n = try ops.number(1)
            guard case .number(let base) = ops[2] else { throw ops.typeError(2, "number") }
            let radix: Int
            switch base {
            case .int(let b) where [2, 8, 10, 16].contains(b): radix = b
            default: throw ops.operandError(2, "must be one of {2, 8, 10, 16}")
            }
            guard n.doubleValue.isFinite || n.bigIntValue != nil else { throw ops.failure("number out of range") }
            let truncated: BigInt = n.bigIntValue ?? BigInt(n.doubleValue.rounded(.towardZero))
            return .string(String(truncated, radix: radix))
        },
        prefixMatch("strings.any_prefix_match", reversed: false),
        prefixMatch("strings.any_suffix_match", reversed: true),
        Builtin.function("sprintf", [.string, .anyArray], .string) { ops in
            let format = try ops.string(1)
            return .string(GoFormat.sprintf(format, try ops.array(2)))
        },
    ]

    private static func stringPair(
        _ name: String, _ result: BuiltinType = .boolean, _ body: @escaping @Sendable (String, String) -> Value
    ) -> Builtin {
        Builtin.function(name, [.string, .string], result) { ops in body(try ops.string(1), try ops.string(2)) }
    }

    private static func stringUnary(_ name: String, _ body: @escaping @Sendable (String) -> String) -> Builtin {
        Builtin.function(name, [.string], .string) { ops in .string(body(try ops.string(1))) }
    }

    /// Rune offsets of every (possibly overlapping) occurrence, as OPA's `indexof_n` reports them.
    private static func runeIndices(of search: String, in base: String) -> [Int] {
        let b = Array(base.unicodeScalars), s = Array(search.unicodeScalars)
        guard b.count >= s.count else { return [] }
        var found: [Int] = []
        for i in 0...(b.count - s.count) where b[i] == s[0] && b[i..<i + s.count].elementsEqual(s) {
            found.append(i)
        }
        return found
    }

    private static func prefixMatch(_ name: String, reversed: Bool) -> Builtin {
        let kinds = BuiltinType.anyOf([.string, .set(.string), .array(.string)])
        return Builtin.function(name, [kinds, kinds], .boolean) { ops in
            func strings(_ position: Int) throws -> [[UInt8]] {
                let list: [String]
                switch ops[position] {
                case .string(let s): list = [s]
                case .array, .set: list = try ops.strings(position)
                default: throw ops.typeError(position, "string", "set", "array")
                }
                return list.map { reversed ? Array($0.utf8.reversed()) : Array($0.utf8) }
            }
            let subjects = try strings(1), prefixes = try strings(2)
            for subject in subjects {
                for prefix in prefixes where subject.starts(with: prefix) { return .bool(true) }
            }
            return .bool(false)
        }
    }
}
