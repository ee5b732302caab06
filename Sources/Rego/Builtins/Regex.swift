import Foundation

extension BuiltinRegistry {
    /// regex.match and regex.is_valid with RE2 syntax, matched in linear time.
    static let regex: [Builtin] = [
        Builtin.function("regex.match", [.string, .string], .boolean) { ops in
            let pattern = try ops.string(1), value = try ops.string(2)
            let regex = try compiled(ops, pattern)
            return .bool(regex.automaton.matches(Array(value.unicodeScalars), anchored: false))
        },
        Builtin.function("regex.find_n", [.string, .string, .number], .array(.string)) { ops in
            let regex = try compiled(ops, try ops.string(1))
            let input = Array(try ops.string(2).unicodeScalars)
            let matches = regex.automaton.allMatches(in: input, limit: try ops.int(3), slotCount: 2)
            return .array(matches.map { .string(RegexText.slice(input, $0[0], $0[1])) })
        },
        Builtin.function("regex.find_all_string_submatch_n", [.string, .string, .number], .array(.array(.string))) { ops in
            let regex = try compiled(ops, try ops.string(1))
            let input = Array(try ops.string(2).unicodeScalars)
            let slots = 2 * regex.groupNames.count
            let matches = regex.automaton.allMatches(in: input, limit: try ops.int(3), slotCount: slots)
            return .array(matches.map { m in
                .array(stride(from: 0, to: slots, by: 2).map { .string(RegexText.slice(input, m[$0], m[$0 + 1])) })
            })
        },
        Builtin.function("regex.split", [.string, .string], .array(.string)) { ops in
            let regex = try compiled(ops, try ops.string(1))
            let text = try ops.string(2)
            let input = Array(text.unicodeScalars)
            if !(try ops.string(1)).isEmpty && input.isEmpty { return .array([.string("")]) }
            var parts: [Value] = []
            var begin = 0, end = 0
            for m in regex.automaton.allMatches(in: input, limit: -1, slotCount: 2) {
                end = m[0]
                if m[1] != 0 { parts.append(.string(RegexText.slice(input, begin, end))) }
                begin = m[1]
            }
            if end != input.count { parts.append(.string(RegexText.slice(input, begin, input.count))) }
            return .array(parts)
        },
        Builtin.function("regex.template_match", [.string, .string, .string, .string], .boolean) { ops in
            let template = try ops.string(1), value = try ops.string(2)
            let start = try ops.string(3), end = try ops.string(4)
            guard start.utf8.count == 1 else {
                throw ops.failure("start delimiter has to be exactly one character long but is \(start.utf8.count) long")
            }
            guard end.utf8.count == 1 else {
                throw ops.failure("end delimiter has to be exactly one character long but is \(start.utf8.count) long")
            }
            let pattern = try RegexText.templatePattern(template, start.utf8.first!, end.utf8.first!, ops)
            let regex = try compiled(ops, pattern)
            return .bool(regex.automaton.matches(Array(value.unicodeScalars), anchored: false))
        },
        Builtin.function("regex.replace", [.string, .string, .string], .string) { ops in
            let source = try ops.string(1)
            let regex = try compiled(ops, try ops.string(2))
            let template = try ops.string(3)
            return .string(RegexText.replaceAll(Array(source.unicodeScalars), regex, template: template))
        },
        Builtin.function("regex.is_valid", [.string], .boolean) { ops in
            guard case .string(let pattern) = ops[1] else { return .bool(false) }
            return .bool((try? RegexCache.shared.regex(pattern)) != nil)
        },
    ]

    private static func compiled(_ ops: Operands, _ pattern: String) throws -> CompiledRegex {
        do {
            return try RegexCache.shared.regex(pattern)
        } catch let error as RE2Syntax.SyntaxError {
            throw ops.failure(error.message)
        }
    }
}

/// A compiled expression and its group names by number (0 is the whole match).
struct CompiledRegex: Sendable {
    let automaton: Automaton
    let groupNames: [String?]
}

/// Compiled regular expressions shared across evaluations and threads.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache(capacity: 4096)

    private let lock = NSLock()
    private var entries: [String: CompiledRegex] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func regex(_ pattern: String) throws -> CompiledRegex {
        lock.lock()
        let cached = entries[pattern]
        lock.unlock()
        if let cached { return cached }
        let program = try RE2Compiler.compileProgram(pattern)
        let compiled = CompiledRegex(automaton: program.automaton, groupNames: program.groupNames)
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[pattern] = compiled
        lock.unlock()
        return compiled
    }
}

/// RE2 syntax trees to automaton programs.
enum RE2Compiler {
    /// Largest program accepted, as RE2 refuses expressions that expand too far.
    static let maxInstructions = 200_000

    /// The program with slots 0 and 1 around the whole match, and the group names.
    static func compileProgram(_ pattern: String) throws -> (automaton: Automaton, groupNames: [String?]) {
        let expression = try RE2Syntax.parse(pattern)
        var program: [Automaton.Instruction] = [.save(0)]
        try emit(expression.root, into: &program, pattern)
        program.append(.save(1))
        program.append(.match)
        return (Automaton(program: program), expression.groupNames)
    }

    private static func emit(_ node: RE2Syntax.Node, into p: inout [Automaton.Instruction], _ pattern: String) throws {
        if p.count > maxInstructions { throw RE2Syntax.SyntaxError("expression too large", pattern) }
        switch node {
        case .empty: break
        case .scalar(let c): p.append(.scalar(c))
        case .set(let cls): p.append(.set(cls))
        case .any(let newline): p.append(.anyExcept(newline ? [] : ["\n"]))
        case .assertion(let kind): p.append(.assert(kind))
        case .concat(let items): for item in items { try emit(item, into: &p, pattern) }
        case .alternate(let branches):
            var jumps: [Int] = []
            for (i, branch) in branches.enumerated() {
                if i < branches.count - 1 {
                    let split = p.count
                    p.append(.split(split + 1, 0))
                    try emit(branch, into: &p, pattern)
                    jumps.append(p.count)
                    p.append(.jump(0))
                    p[split] = .split(split + 1, p.count)
                } else {
                    try emit(branch, into: &p, pattern)
                }
            }
            for j in jumps { p[j] = .jump(p.count) }
        case .capture(let index, _, let body):
            p.append(.save(2 * index))
            try emit(body, into: &p, pattern)
            p.append(.save(2 * index + 1))
        case .repeated(let body, let minCount, let maxCount, let greedy):
            // A greedy loop prefers another round, a lazy one prefers leaving.
            func choice(_ stay: Int, _ leave: Int) -> Automaton.Instruction {
                greedy ? .split(stay, leave) : .split(leave, stay)
            }
            for _ in 0..<minCount { try emit(body, into: &p, pattern) }
            if let maxCount {
                // Each optional copy may be skipped; skipping one skips the rest.
                var splits: [Int] = []
                for _ in minCount..<max(minCount, maxCount) {
                    splits.append(p.count)
                    p.append(.split(p.count + 1, 0))
                    try emit(body, into: &p, pattern)
                }
                for s in splits { p[s] = choice(s + 1, p.count) }
            } else {
                let loop = p.count
                p.append(.split(loop + 1, 0))
                try emit(body, into: &p, pattern)
                p.append(.jump(loop))
                p[loop] = choice(loop + 1, p.count)
            }
        }
    }
}
