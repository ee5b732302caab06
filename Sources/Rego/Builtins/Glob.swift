import Foundation

extension BuiltinRegistry {
    /// glob.match and glob.quote_meta with gobwas/glob syntax (`*`, `**`, `?`, `[...]`, `[!...]`, `{a,b}`, `\`).
    static let glob: [Builtin] = [
        Builtin.function("glob.match", [.string, .anyOf([.array(.string), .null]), .string], .boolean) { ops in
            let pattern = try ops.string(1)
            // a pattern seen before skips checking and converting its delimiters again
            if let compiled = GlobCache.shared.matcher(pattern, ops[2]) { return .bool(compiled.matches(try ops.string(3))) }
            var delimiters: [Unicode.Scalar]
            switch ops[2] {
            case .null:
                delimiters = []
            case .array(let items):
                delimiters = try items.map { item in
                    guard case .string(let s) = item else {
                        throw ops.operandError(2, "must be array of strings but got array containing \(item.typeName)")
                    }
                    let scalars = Array(s.unicodeScalars)
                    guard scalars.count == 1 else {
                        throw ops.operandError(2, "must be array of runes but got array containing string")
                    }
                    return scalars[0]
                }
                // An empty list means the default delimiter, the dot.
                if delimiters.isEmpty { delimiters = ["."] }
            default:
                throw ops.typeError(2, "array", "null")
            }
            let subject = try ops.string(3)
            let compiled: GlobMatcher
            do {
                compiled = try GlobCache.shared.matcher(pattern, delimiters, operand: ops[2])
            } catch let error as GlobPattern.SyntaxError {
                throw ops.failure(error.message)
            }
            return .bool(compiled.matches(subject))
        },
        Builtin.function("glob.quote_meta", [.string], .string) { ops in
            var out = ""
            for c in try ops.string(1).unicodeScalars {
                if "*?\\[]{}".unicodeScalars.contains(c) { out += "\\" }
                out.unicodeScalars.append(c)
            }
            return .string(out)
        },
    ]
}

/// Compiled globs shared across evaluations and threads; a policy that matches hundreds of
/// globs per decision compiles each one once.
final class GlobCache: @unchecked Sendable {
    static let shared = GlobCache(capacity: 8192)

    /// Keyed by the delimiters operand as given, so a hit needs no conversion.
    private struct Key: Hashable {
        let pattern: String
        let delimiters: Value
    }

    private let lock = NSLock()
    private var entries: [Key: GlobMatcher] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The compiled glob for a pattern and delimiters operand already compiled, if any.
    func matcher(_ pattern: String, _ operand: Value) -> GlobMatcher? {
        let key = Key(pattern: pattern, delimiters: operand)
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Compiles and remembers a glob; `operand` is the delimiters operand `delimiters` came from.
    func matcher(_ pattern: String, _ delimiters: [Unicode.Scalar], operand: Value) throws -> GlobMatcher {
        if let cached = matcher(pattern, operand) { return cached }
        let compiled = try GlobPattern.compile(pattern, delimiters: delimiters)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[Key(pattern: pattern, delimiters: operand)] = compiled
        lock.unlock()
        return compiled
    }
}

/// A compiled glob: bit-parallel when it fits, the general automaton otherwise.
enum GlobMatcher: Sendable {
    case bits(GlobBitMatcher)
    case automaton(Automaton)

    func matches(_ subject: String) -> Bool {
        switch self {
        case .bits(let m): return m.matches(subject)
        case .automaton(let a): return a.matches(Array(subject.unicodeScalars), anchored: true)
        }
    }
}

/// gobwas/glob syntax compiled to a `GlobMatcher`.
enum GlobPattern {
    struct SyntaxError: Error { let message: String }

    indirect enum Node {
        case literal(Unicode.Scalar)
        case any            // `*`: any run without delimiters
        case superAny       // `**`: any run at all
        case single         // `?`: one scalar that is not a delimiter
        case list(ScalarClass)
        case alternatives([[Node]])
    }

    static func compile(_ pattern: String, delimiters: [Unicode.Scalar]) throws -> GlobMatcher {
        var parser = Parser(chars: Array(pattern.unicodeScalars))
        let nodes = try parser.sequence(depth: 0)
        if let bits = GlobBitMatcher(nodes, delimiters: delimiters) { return .bits(bits) }
        var program: [Automaton.Instruction] = []
        emit(nodes, delimiters, into: &program)
        program.append(.match)
        return .automaton(Automaton(program: program))
    }

    private static func emit(_ nodes: [Node], _ delimiters: [Unicode.Scalar], into p: inout [Automaton.Instruction]) {
        for node in nodes {
            switch node {
            case .literal(let c): p.append(.scalar(c))
            case .single: p.append(.anyExcept(delimiters))
            case .list(let cls): p.append(.set(cls))
            case .any, .superAny:
                let loop = p.count
                p.append(.split(loop + 1, loop + 3))
                p.append(.anyExcept(node.isSuper ? [] : delimiters))
                p.append(.jump(loop))
            case .alternatives(let branches):
                var jumps: [Int] = []
                for (i, branch) in branches.enumerated() {
                    if i < branches.count - 1 {
                        let split = p.count
                        p.append(.split(split + 1, 0))
                        emit(branch, delimiters, into: &p)
                        jumps.append(p.count)
                        p.append(.jump(0))
                        p[split] = .split(split + 1, p.count)
                    } else {
                        emit(branch, delimiters, into: &p)
                    }
                }
                for j in jumps { p[j] = .jump(p.count) }
            }
        }
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0

        mutating func sequence(depth: Int) throws -> [Node] {
            var nodes: [Node] = []
            while i < chars.count {
                let c = chars[i]
                switch c {
                case "*":
                    i += 1
                    if i < chars.count, chars[i] == "*" { i += 1; nodes.append(.superAny) } else { nodes.append(.any) }
                case "?":
                    i += 1
                    nodes.append(.single)
                case "[":
                    i += 1
                    nodes.append(.list(try range()))
                case "{":
                    i += 1
                    if depth > 64 { throw SyntaxError(message: "glob: alternatives nested too deeply") }
                    var branches: [[Node]] = []
                    while true {
                        branches.append(try sequence(depth: depth + 1))
                        // gobwas closes alternatives left open at the end of the pattern.
                        guard i < chars.count else { break }
                        let closer = chars[i]
                        i += 1
                        if closer == "}" { break }
                    }
                    nodes.append(.alternatives(branches))
                case "}" where depth > 0, "," where depth > 0:
                    return nodes
                case "\\":
                    i += 1
                    if i < chars.count { nodes.append(.literal(chars[i])); i += 1 }
                default:
                    nodes.append(.literal(c))
                    i += 1
                }
            }
            return nodes
        }

        /// After `[`: an optional `!`, then either `lo-hi` or a list of scalars, then `]`.
        mutating func range() throws -> ScalarClass {
            var cls = ScalarClass()
            if i < chars.count, chars[i] == "!" { cls.negated = true; i += 1 }
            guard i < chars.count else { throw SyntaxError(message: "unexpected end of input") }
            if i + 1 < chars.count, chars[i + 1] == "-" {
                let lo = chars[i]
                guard i + 2 < chars.count else { throw SyntaxError(message: "unexpected end of input") }
                let hi = chars[i + 2]
                i += 3
                guard i < chars.count, chars[i] == "]" else { throw SyntaxError(message: "expected close range character") }
                i += 1
                guard lo.value <= hi.value else {
                    throw SyntaxError(message: "hi character '\(Character(hi))' should be greater than lo '\(Character(lo))'")
                }
                cls.ranges = [lo.value...hi.value]
                return cls
            }
            while i < chars.count, chars[i] != "]" {
                var c = chars[i]
                if c == "\\", i + 1 < chars.count { i += 1; c = chars[i] }
                cls.ranges.append(c.value...c.value)
                i += 1
            }
            guard i < chars.count else { throw SyntaxError(message: "unexpected end of input") }
            if cls.ranges.isEmpty { throw SyntaxError(message: "could not parse range") }
            i += 1
            return cls
        }
    }
}

private extension GlobPattern.Node {
    var isSuper: Bool { if case .superAny = self { return true }; return false }
}
