extension Automaton {
    /// The leftmost-first match starting at or after `start` (scalar offsets), as Go's regexp
    /// finds it: capture slots `2k` and `2k+1` hold group k's bounds, -1 where a group did not
    /// take part. Threads run in priority order, so the first to match wins and cuts the rest.
    func firstMatch(in input: [Unicode.Scalar], from start: Int, slotCount: Int) -> [Int]? {
        struct Thread { let pc: Int; let slots: [Int] }
        var current: [Thread] = [], next: [Thread] = []
        var onCurrent = SparseSet(capacity: program.count), onNext = SparseSet(capacity: program.count)
        var stack: [(Int, [Int])] = []
        var matched: [Int]?
        let empty = [Int](repeating: -1, count: slotCount)

        func add(_ pc: Int, _ slots: [Int], at position: Int, to list: inout [Thread], _ seen: inout SparseSet) {
            stack.append((pc, slots))
            while let (pc, slots) = stack.popLast() {
                if seen.contains(pc) { continue }
                seen.insert(pc)
                switch program[pc] {
                case .jump(let target): stack.append((target, slots))
                case .split(let a, let b):
                    stack.append((b, slots))
                    stack.append((a, slots))
                case .save(let k):
                    var s = slots
                    if k < s.count { s[k] = position }
                    stack.append((pc + 1, s))
                case .assert(let kind):
                    if holds(kind, at: position, input) { stack.append((pc + 1, slots)) }
                default:
                    list.append(Thread(pc: pc, slots: slots))
                }
            }
        }

        var position = start
        while true {
            if matched == nil { add(0, empty, at: position, to: &current, &onCurrent) }
            if current.isEmpty { break }
            next.removeAll(keepingCapacity: true)
            onNext.clear()
            threads: for thread in current {
                let advance: Bool
                switch program[thread.pc] {
                case .match:
                    matched = thread.slots
                    break threads
                case .scalar(let s): advance = position < input.count && input[position] == s
                case .set(let cls): advance = position < input.count && cls.contains(input[position])
                case .anyExcept(let excluded): advance = position < input.count && !excluded.contains(input[position])
                default: advance = false
                }
                if advance { add(thread.pc + 1, thread.slots, at: position + 1, to: &next, &onNext) }
            }
            if position >= input.count { break }
            position += 1
            swap(&current, &next)
            swap(&onCurrent, &onNext)
        }
        return matched
    }

    /// Every match as Go's `FindAll` reports them: an empty match right after the previous
    /// match is skipped, and the search always moves on by at least one scalar.
    func allMatches(in input: [Unicode.Scalar], limit: Int, slotCount: Int) -> [[Int]] {
        var found: [[Int]] = []
        var position = 0, previousEnd = -1
        while (limit < 0 || found.count < limit) && position <= input.count {
            guard let m = firstMatch(in: input, from: position, slotCount: slotCount) else { break }
            var accept = true
            if m[1] == position {
                if m[0] == previousEnd { accept = false }
                position += 1
            } else {
                position = m[1]
            }
            previousEnd = m[1]
            if accept { found.append(m) }
        }
        return found
    }
}
