import Foundation

extension BuiltinRegistry {
    /// regex.match and regex.is_valid with RE2 syntax, matched in linear time.
    static let regex: [Builtin] = [
        Builtin.function("regex.match", [.string, .string], .boolean) { ops in
            let pattern = try ops.string(1), value = try ops.string(2)
            let automaton: Automaton
            do {
                automaton = try RegexCache.shared.automaton(pattern)
            } catch let error as RE2Syntax.SyntaxError {
                throw ops.failure(error.message)
            }
            return .bool(automaton.matches(Array(value.unicodeScalars), anchored: false))
        },
        Builtin.function("regex.is_valid", [.string], .boolean) { ops in
            guard case .string(let pattern) = ops[1] else { return .bool(false) }
            return .bool((try? RegexCache.shared.automaton(pattern)) != nil)
        },
    ]
}

/// Compiled regular expressions shared across evaluations and threads.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache(capacity: 4096)

    private let lock = NSLock()
    private var entries: [String: Automaton] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func automaton(_ pattern: String) throws -> Automaton {
        lock.lock()
        let cached = entries[pattern]
        lock.unlock()
        if let cached { return cached }
        let compiled = try RE2Compiler.compile(pattern)
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

    static func compile(_ pattern: String) throws -> Automaton {
        let tree = try RE2Syntax.parse(pattern)
        var program: [Automaton.Instruction] = []
        try emit(tree, into: &program, pattern)
        program.append(.match)
        return Automaton(program: program)
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
        case .repeated(let body, let minCount, let maxCount):
            for _ in 0..<minCount { try emit(body, into: &p, pattern) }
            if let maxCount {
                // Each optional copy may be skipped; skipping one skips the rest.
                var splits: [Int] = []
                for _ in minCount..<max(minCount, maxCount) {
                    splits.append(p.count)
                    p.append(.split(p.count + 1, 0))
                    try emit(body, into: &p, pattern)
                }
                for s in splits { p[s] = .split(s + 1, p.count) }
            } else {
                let loop = p.count
                p.append(.split(loop + 1, 0))
                try emit(body, into: &p, pattern)
                p.append(.jump(loop))
                p[loop] = .split(loop + 1, p.count)
            }
        }
    }
}
