import Yams

extension BuiltinRegistry {
    /// yaml.marshal, yaml.unmarshal, yaml.is_valid (YAML 1.1 scalars, first document only, as OPA reads YAML).
    static let yaml: [Builtin] = [
        Builtin.function("yaml.marshal", [.any], .string) { ops in
            var out = ""
            YAMLText.emit(ops[1], indent: 0, into: &out, inSequence: false)
            return .string(out)
        },
        Builtin.function("yaml.unmarshal", [.string], .any) { ops in
            do {
                return try YAMLText.parse(try ops.string(1))
            } catch let error as YAMLText.Failure {
                throw ops.failure(error.message)
            }
        },
        Builtin.function("yaml.is_valid", [.string], .boolean) { ops in
            guard case .string(let s) = ops[1] else { return .bool(false) }
            return .bool((try? YAMLText.parse(s)) != nil)
        },
    ]
}

/// YAML text in and out for the yaml builtins.
enum YAMLText {
    struct Failure: Error { let message: String }

    static func parse(_ text: String) throws -> Value {
        let node: Node?
        do {
            // Only the first document counts, as go-yaml reads one value.
            node = try Yams.Parser(yaml: text).nextRoot()
        } catch let error as YamlError {
            throw Failure(message: describe(error))
        } catch {
            throw Failure(message: "yaml: \(error)")
        }
        guard let node else { return .null }
        return try value(node, depth: 0)
    }

    /// go-yaml's wording: the problem's 0-based line (the context's when that is zero, and
    /// none when both are), one more for scanner errors.
    private static func describe(_ error: YamlError) -> String {
        var line = 0
        let problem: String
        switch error {
        case .scanner(let context, let p, let mark, _):
            problem = p
            line = mark.line - 1
            if line > 0 { line += 1 } else if let context { line = context.mark.line - 1 }
        case .parser(let context, let p, let mark, _):
            problem = p
            line = mark.line - 1
            if line <= 0, let context { line = context.mark.line - 1 }
        default:
            return "yaml: \(error)"
        }
        return line > 0 ? "yaml: line \(line): \(problem)" : "yaml: \(problem)"
    }

    private static func value(_ node: Node, depth: Int) throws -> Value {
        if depth > 512 { throw Failure(message: "yaml: exceeded max depth") }
        switch node {
        case .scalar(let scalar):
            return scalarValue(node, scalar)
        case .sequence(let seq):
            return .array(try seq.map { try value($0, depth: depth + 1) })
        case .mapping(let map):
            var out: [Value: Value] = [:]
            for (k, v) in map {
                // Keys become strings, as converting YAML to JSON makes them.
                let key: String
                switch try value(k, depth: depth + 1) {
                case .string(let s): key = s
                case let other: key = JSONText.keyText(other) == "null" ? "null" : plainText(other)
                }
                out[.string(key)] = try value(v, depth: depth + 1)
            }
            return .object(out)
        }
    }

    private static func plainText(_ v: Value) -> String {
        if case .number(let n) = v { return n.regoText }
        return RegoText.render(v)
    }

    private static func scalarValue(_ node: Node, _ scalar: Node.Scalar) -> Value {
        if scalar.style != .plain { return .string(scalar.string) }
        switch Tag.Name(rawValue: node.tag.description) {
        case .null: return .null
        case .bool: return .bool(node.bool ?? false)
        case .int:
            if let n = NumberText.parseDecimal(Substring(scalar.string.replacingOccurrences(of: "_", with: ""))) { return .number(n) }
            if let i = node.int { return .int(i) }
            return .string(scalar.string)
        case .float:
            if let d = node.float, d.isFinite { return .number(.float(d)) }
            return .string(scalar.string)
        default:
            return .string(scalar.string)
        }
    }

    // MARK: - Emitting (block style, sorted keys, like the YAML OPA produces)

    static func emit(_ value: Value, indent: Int, into out: inout String, inSequence: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .array(let a) where !a.isEmpty:
            emitSequence(a, indent: indent, into: &out, firstInline: inSequence)
        case .set(let s) where !s.isEmpty:
            emitSequence(s.sorted(), indent: indent, into: &out, firstInline: inSequence)
        case .object(let o) where !o.isEmpty:
            let entries = o.map { (JSONText.keyText($0.key), $0.value) }.sorted { Value.compare(.string($0.0), .string($1.0)) < 0 }
            for (i, (key, v)) in entries.enumerated() {
                if !(inSequence && i == 0) { out += pad }
                out += scalarText(.string(key), key: true) + ":"
                if isBlock(v) {
                    out += "\n"
                    let childIndent = isSequence(v) ? indent : indent + 2
                    emit(v, indent: childIndent, into: &out, inSequence: false)
                } else {
                    out += " " + scalarText(v, indent: indent) + "\n"
                }
            }
        default:
            out += scalarText(value) + "\n"
        }
    }

    /// `firstInline`: the first dash continues a line already started (`- - 1`).
    private static func emitSequence(_ items: [Value], indent: Int, into out: inout String, firstInline: Bool) {
        let pad = String(repeating: " ", count: indent)
        for (i, item) in items.enumerated() {
            out += (firstInline && i == 0 ? "" : pad) + "-"
            if isBlock(item) {
                out += " "
                emit(item, indent: indent + 2, into: &out, inSequence: true)
            } else {
                out += " " + scalarText(item, indent: indent) + "\n"
            }
        }
    }

    private static func isBlock(_ v: Value) -> Bool {
        switch v {
        case .array(let a): return !a.isEmpty
        case .set(let s): return !s.isEmpty
        case .object(let o): return !o.isEmpty
        default: return false
        }
    }

    private static func isSequence(_ v: Value) -> Bool {
        switch v {
        case .array, .set: return true
        default: return false
        }
    }

    /// Plain words YAML readers take for something other than a string (YAML 1.1 booleans included).
    private static let reserved: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "",
    ]

    /// Numbers, special floats, base-60 numbers and timestamps as YAML readers resolve them.
    private static let nonStringPattern: Automaton? = try? RE2Compiler.compile(
        "^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|[-+]?(?:\\.[0-9_]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?"
            + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$"
    )

    private static func scalarText(_ v: Value, indent: Int = 0, key: Bool = false) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.regoText
        case .array: return "[]"
        case .set: return "[]"
        case .object: return "{}"
        case .string(let s): return stringText(s, indent: indent, key: key)
        }
    }

    /// go-yaml's style for a string: plain when it reads back as the same string and has no
    /// indicator, a literal block for multi-line text, single quotes for other printable text,
    /// double quotes for the rest and for anything that would read back as another type.
    private static func stringText(_ s: String, indent: Int, key: Bool) -> String {
        let resolvesToString = !reserved.contains(s)
            && !(nonStringPattern?.matches(Array(s.unicodeScalars), anchored: true) ?? true)
        guard resolvesToString else { return doubleQuoted(s) }
        let scalars = Array(s.unicodeScalars)
        let printable = scalars.allSatisfy { GoQuote.isPrintable($0) || $0 == "\n" }
        if s.contains("\n") {
            let blockSafe = printable && !key && !s.hasPrefix(" ") && !s.contains(" \n") && !s.hasPrefix("\n")
            return blockSafe ? literalBlock(s, indent: indent + 2) : doubleQuoted(s)
        }
        guard printable else { return doubleQuoted(s) }
        if plainAllowed(scalars) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func plainAllowed(_ c: [Unicode.Scalar]) -> Bool {
        guard let first = c.first, let last = c.last else { return false }
        if first == " " || last == " " { return false }
        if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if "-?:".unicodeScalars.contains(first), c.count == 1 || c[1] == " " { return false }
        if c.count >= 3, (c[0] == "-" && c[1] == "-" && c[2] == "-") || (c[0] == "." && c[1] == "." && c[2] == ".") { return false }
        if last == ":" { return false }
        for i in 1..<c.count {
            if c[i] == "#" && c[i - 1] == " " { return false }
            if c[i - 1] == ":" && c[i] == " " { return false }
        }
        return true
    }

    private static func doubleQuoted(_ s: String) -> String {
        var quoted = ""
        JSONText.writeString(s, into: &quoted)
        return quoted
    }

    /// `|-`, `|` or `|+` by the number of trailing line breaks, lines indented below the parent.
    private static func literalBlock(_ s: String, indent: Int) -> String {
        var body = Substring(s)
        var trailing = 0
        while body.hasSuffix("\n") { body = body.dropLast(); trailing += 1 }
        let chomp = trailing == 0 ? "-" : (trailing == 1 ? "" : "+")
        let pad = String(repeating: " ", count: indent)
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        if trailing > 1 { lines += Array(repeating: "", count: trailing - 1) }
        return "|" + chomp + "\n" + lines.joined(separator: "\n")
    }
}
