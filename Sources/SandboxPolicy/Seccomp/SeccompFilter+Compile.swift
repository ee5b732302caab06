/// Compilation of a `SeccompFilter` into BPF for x86_64.
///
/// Layout: an architecture check (anything but `AUDIT_ARCH_X86_64`, which is how an i386
/// `int 0x80` arrives, kills the process), an x32 check (the `0x40000000` bit kills), a binary
/// search over ranges of system call numbers with equal verdicts, then one block per call
/// whose verdict depends on its arguments.
extension SeccompFilter {
    /// Offsets in `struct seccomp_data`.
    enum DataOffset {
        static let number: UInt32 = 0
        static let architecture: UInt32 = 4
        static func argumentLow(_ i: Int) -> UInt32 { 16 + 8 * UInt32(i) }
        static func argumentHigh(_ i: Int) -> UInt32 { 20 + 8 * UInt32(i) }
    }

    private enum Leaf: Equatable {
        case verdict(UInt32)
        case block(UInt32)
    }

    /// Compiles the filter; a rule naming a call x86_64 does not have is an error.
    public func compile() throws(CapabilityError) -> SeccompProgram {
        var rulesByNumber: [UInt32: [SeccompRule]] = [:]
        for rule in rules {
            guard let number = SyscallTable.number(rule.syscall) else {
                throw .seccompProgram(reason: "filter '\(name)' names '\(rule.syscall)', which x86_64 does not have")
            }
            for condition in rule.conditions where !(0...5).contains(condition.index) {
                throw .seccompProgram(reason: "rule for '\(rule.syscall)' tests argument \(condition.index); arguments are 0 to 5")
            }
            rulesByNumber[number, default: []].append(rule)
        }

        // Ranges of numbers with one leaf each; every number past the table is "unknown".
        var ranges: [(start: UInt32, leaf: Leaf)] = []
        for number in 0...(SyscallTable.highestNumber + 1) {
            let leaf: Leaf
            if number > SyscallTable.highestNumber || SyscallTable.name(number) == nil {
                leaf = .verdict(unknownNumberAction.returnValue)
            } else if let rules = rulesByNumber[number] {
                leaf = rules[0].conditions.isEmpty ? .verdict(rules[0].action.returnValue) : .block(number)
            } else {
                leaf = .verdict(defaultAction.returnValue)
            }
            if ranges.last?.leaf != leaf { ranges.append((number, leaf)) }
        }

        var asm = BPFAssembler()
        asm.load(offset: DataOffset.architecture)
        let nativeArchitecture = asm.newLabel()
        asm.branch(.equal, SyscallTable.auditArchX86_64, ifTrue: .label(nativeArchitecture), ifFalse: .next)
        asm.ret(SeccompAction.killProcess.returnValue)
        asm.place(nativeArchitecture)
        asm.load(offset: DataOffset.number)
        let native = asm.newLabel()
        asm.branch(.anyBitSet, SyscallTable.x32SyscallBit, ifTrue: .next, ifFalse: .label(native))
        asm.ret(SeccompAction.killProcess.returnValue)
        asm.place(native)

        var blockLabels: [UInt32: Int] = [:]
        for case (_, .block(let number)) in ranges { blockLabels[number] = asm.newLabel() }
        emitSearch(ranges[...], into: &asm, blocks: blockLabels)
        for (number, label) in blockLabels.sorted(by: { $0.key < $1.key }) {
            asm.place(label)
            emitBlock(rulesByNumber[number]!, into: &asm)
        }
        return SeccompProgram(name: name, instructions: try asm.assemble())
    }

    /// Binary search: `A >= start of the upper half` jumps (through `ja`, so any distance) to
    /// the upper half; otherwise the lower half follows.
    private func emitSearch(_ ranges: ArraySlice<(start: UInt32, leaf: Leaf)>, into asm: inout BPFAssembler, blocks: [UInt32: Int]) {
        if ranges.count == 1 {
            switch ranges.first!.leaf {
            case .verdict(let value): asm.ret(value)
            case .block(let number): asm.jump(to: blocks[number]!)
            }
            return
        }
        let middle = ranges.startIndex + ranges.count / 2
        let upper = asm.newLabel()
        let lower = asm.newLabel()
        asm.branch(.greaterOrEqual, ranges[middle].start, ifTrue: .next, ifFalse: .label(lower))
        asm.jump(to: upper)
        asm.place(lower)
        emitSearch(ranges[ranges.startIndex..<middle], into: &asm, blocks: blocks)
        asm.place(upper)
        emitSearch(ranges[middle...], into: &asm, blocks: blocks)
    }

    private func emitBlock(_ rules: [SeccompRule], into asm: inout BPFAssembler) {
        for rule in rules {
            if rule.conditions.isEmpty {
                asm.ret(rule.action.returnValue)
                return
            }
            let nextRule = asm.newLabel()
            for condition in rule.conditions { emit(condition, failingTo: nextRule, into: &asm) }
            asm.ret(rule.action.returnValue)
            asm.place(nextRule)
        }
        asm.ret(defaultAction.returnValue)
    }

    /// Falls through when `condition` holds, jumps to `fail` when it does not.
    private func emit(_ condition: ArgumentCondition, failingTo fail: Int, into asm: inout BPFAssembler) {
        let low = DataOffset.argumentLow(condition.index)
        let high = DataOffset.argumentHigh(condition.index)
        let value = condition.value
        let (vHigh, vLow) = (UInt32(truncatingIfNeeded: value >> 32), UInt32(truncatingIfNeeded: value))
        let (mHigh, mLow) = (UInt32(truncatingIfNeeded: condition.mask >> 32), UInt32(truncatingIfNeeded: condition.mask))
        let failing = BPFAssembler.Target.label(fail)

        if condition.lowWordOnly {
            asm.load(offset: low)
            emitWord(condition.op, vLow, mask: mLow, fail: failing, into: &asm)
            return
        }
        switch condition.op {
        case .equal, .maskedEqual:
            asm.load(offset: high)
            emitWord(condition.op, vHigh, mask: mHigh, fail: failing, into: &asm)
            asm.load(offset: low)
            emitWord(condition.op, vLow, mask: mLow, fail: failing, into: &asm)
        case .notEqual:
            let holds = asm.newLabel()
            asm.load(offset: high)
            asm.branch(.equal, vHigh, ifTrue: .next, ifFalse: .label(holds))
            asm.load(offset: low)
            asm.branch(.equal, vLow, ifTrue: failing, ifFalse: .next)
            asm.place(holds)
        case .greater, .greaterOrEqual:
            let holds = asm.newLabel()
            asm.load(offset: high)
            asm.branch(.greater, vHigh, ifTrue: .label(holds), ifFalse: .next)
            asm.branch(.equal, vHigh, ifTrue: .next, ifFalse: failing)
            asm.load(offset: low)
            asm.branch(condition.op == .greater ? .greater : .greaterOrEqual, vLow, ifTrue: .next, ifFalse: failing)
            asm.place(holds)
        case .less, .lessOrEqual:
            let holds = asm.newLabel()
            asm.load(offset: high)
            asm.branch(.greaterOrEqual, vHigh, ifTrue: .next, ifFalse: .label(holds))
            asm.branch(.greater, vHigh, ifTrue: failing, ifFalse: .next)
            asm.load(offset: low)
            asm.branch(condition.op == .less ? .greaterOrEqual : .greater, vLow, ifTrue: failing, ifFalse: .next)
            asm.place(holds)
        }
    }

    /// One 32-bit comparison of the accumulator.
    private func emitWord(
        _ op: ArgumentCondition.Operator, _ value: UInt32, mask: UInt32, fail: BPFAssembler.Target, into asm: inout BPFAssembler
    ) {
        switch op {
        case .equal: asm.branch(.equal, value, ifTrue: .next, ifFalse: fail)
        case .notEqual: asm.branch(.equal, value, ifTrue: fail, ifFalse: .next)
        case .greater: asm.branch(.greater, value, ifTrue: .next, ifFalse: fail)
        case .greaterOrEqual: asm.branch(.greaterOrEqual, value, ifTrue: .next, ifFalse: fail)
        case .less: asm.branch(.greaterOrEqual, value, ifTrue: fail, ifFalse: .next)
        case .lessOrEqual: asm.branch(.greater, value, ifTrue: fail, ifFalse: .next)
        case .maskedEqual:
            asm.and(mask)
            asm.branch(.equal, value, ifTrue: .next, ifFalse: fail)
        }
    }
}
