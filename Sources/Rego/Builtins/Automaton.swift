/// A set of code points: ranges plus Unicode general categories, optionally negated.
/// Shared by glob character lists and regular-expression classes.
struct ScalarClass: Sendable, Hashable {
    var ranges: [ClosedRange<UInt32>] = []
    var categories: Set<Unicode.GeneralCategory> = []
    var negatedCategories: Set<Unicode.GeneralCategory> = []
    var negated = false

    func contains(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        var hit = false
        for r in ranges where r.contains(v) { hit = true; break }
        if !hit, !categories.isEmpty || !negatedCategories.isEmpty {
            let category = c.properties.generalCategory
            hit = categories.contains(category) || (!negatedCategories.isEmpty && !negatedCategories.contains(category))
        }
        return hit != negated
    }
}

/// A Thompson automaton over Unicode scalars, run as a Pike VM: time linear in the input
/// for a fixed program, no backtracking, so hostile patterns cannot blow up a decision.
struct Automaton: Sendable {
    enum Assertion: Sendable, Hashable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
    }

    enum Instruction: Sendable, Hashable {
        case scalar(Unicode.Scalar)
        case set(ScalarClass)
        /// Any scalar except those listed (glob delimiters, or the newline for `.`).
        case anyExcept([Unicode.Scalar])
        case split(Int, Int)
        case jump(Int)
        case assert(Assertion)
        case match
    }

    var program: [Instruction]

    /// Matches when the whole input is accepted (`anchored`) or when any substring is.
    func matches(_ input: [Unicode.Scalar], anchored: Bool) -> Bool {
        let n = input.count
        var current = SparseSet(capacity: program.count)
        var next = SparseSet(capacity: program.count)
        var stack: [Int] = []
        if add(0, at: 0, input, to: &current, stack: &stack, requireEnd: anchored) { return true }
        var i = 0
        while i < n {
            if current.isEmpty && anchored { return false }
            let c = input[i]
            next.clear()
            for pc in current.dense {
                let advance: Bool
                switch program[pc] {
                case .scalar(let s): advance = s == c
                case .set(let cls): advance = cls.contains(c)
                case .anyExcept(let excluded): advance = !excluded.contains(c)
                default: advance = false
                }
                if advance, add(pc + 1, at: i + 1, input, to: &next, stack: &stack, requireEnd: anchored) { return true }
            }
            i += 1
            if !anchored, add(0, at: i, input, to: &next, stack: &stack, requireEnd: false) { return true }
            swap(&current, &next)
        }
        return false
    }

    /// Follows the empty transitions from `pc`; true as soon as an accepting state is reached.
    private func add(
        _ start: Int, at position: Int, _ input: [Unicode.Scalar], to list: inout SparseSet,
        stack: inout [Int], requireEnd: Bool
    ) -> Bool {
        stack.removeAll(keepingCapacity: true)
        stack.append(start)
        while let pc = stack.popLast() {
            if list.contains(pc) { continue }
            list.insert(pc)
            switch program[pc] {
            case .jump(let target): stack.append(target)
            case .split(let a, let b):
                stack.append(b)
                stack.append(a)
            case .assert(let kind):
                if holds(kind, at: position, input) { stack.append(pc + 1) }
            case .match:
                if !requireEnd || position == input.count { return true }
            default:
                break
            }
        }
        return false
    }

    private func holds(_ kind: Assertion, at i: Int, _ input: [Unicode.Scalar]) -> Bool {
        switch kind {
        case .beginText: return i == 0
        case .endText: return i == input.count
        case .beginLine: return i == 0 || input[i - 1] == "\n"
        case .endLine: return i == input.count || input[i] == "\n"
        case .wordBoundary, .notWordBoundary:
            let before = i > 0 && Self.isWord(input[i - 1])
            let after = i < input.count && Self.isWord(input[i])
            return (before != after) == (kind == .wordBoundary)
        }
    }

    static func isWord(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F: return true
        default: return false
        }
    }
}

/// A set of small integers with O(1) insert, lookup and clear, iterated in insertion order.
struct SparseSet {
    private(set) var dense: [Int] = []
    private var sparse: [Int]

    init(capacity: Int) {
        sparse = Array(repeating: 0, count: capacity)
        dense.reserveCapacity(capacity)
    }

    var isEmpty: Bool { dense.isEmpty }

    func contains(_ v: Int) -> Bool {
        let i = sparse[v]
        return i < dense.count && dense[i] == v
    }

    mutating func insert(_ v: Int) {
        sparse[v] = dense.count
        dense.append(v)
    }

    mutating func clear() { dense.removeAll(keepingCapacity: true) }
}
