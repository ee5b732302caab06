/// Builds a classic BPF program from symbolic instructions with labels, so that the filter
/// compilers never count jump offsets by hand.
///
/// Conditional jumps in classic BPF reach at most 255 instructions ahead; the compilers keep
/// conditional targets local (the next rule of the same system call) and use `ja`, whose
/// offset is 32 bits, for everything far.
struct BPFAssembler {
    /// A jump destination.
    enum Target: Equatable {
        /// The instruction right after the branch.
        case next
        case label(Int)
    }

    /// Comparison operators of `BPF_JMP | op | BPF_K`.
    enum Comparison: UInt16 {
        case equal = 0x10
        case greater = 0x20
        case greaterOrEqual = 0x30
        case anyBitSet = 0x40
    }

    private enum Item {
        case place(Int)
        case load(UInt32)
        case and(UInt32)
        case ret(UInt32)
        case jump(Int)
        case branch(Comparison, UInt32, Target, Target)
    }

    private var items: [Item] = []
    private var labelCount = 0

    /// A fresh label to `place` later.
    mutating func newLabel() -> Int {
        labelCount += 1
        return labelCount - 1
    }

    /// Binds `label` to the next instruction.
    mutating func place(_ label: Int) { items.append(.place(label)) }
    /// `A = seccomp_data[offset]` (32-bit word).
    mutating func load(offset: UInt32) { items.append(.load(offset)) }
    /// `A &= mask`.
    mutating func and(_ mask: UInt32) { items.append(.and(mask)) }
    /// Returns `action` (a `SECCOMP_RET_*` value).
    mutating func ret(_ action: UInt32) { items.append(.ret(action)) }
    /// Unconditional jump of any distance.
    mutating func jump(to label: Int) { items.append(.jump(label)) }
    /// `if A <op> k goto ifTrue else goto ifFalse` (targets within 255 instructions).
    mutating func branch(_ op: Comparison, _ k: UInt32, ifTrue: Target, ifFalse: Target) {
        items.append(.branch(op, k, ifTrue, ifFalse))
    }

    /// Resolves labels into offsets.
    func assemble() throws(CapabilityError) -> [SeccompInstruction] {
        var positions = [Int?](repeating: nil, count: labelCount)
        var count = 0
        for item in items {
            if case .place(let label) = item { positions[label] = count } else { count += 1 }
        }
        guard count <= 4096 else {
            throw .seccompProgram(reason: "the program has \(count) instructions; the kernel accepts at most 4096")
        }
        var output: [SeccompInstruction] = []
        output.reserveCapacity(count)
        func offset(_ target: Target, from index: Int) throws(CapabilityError) -> UInt32 {
            guard case .label(let label) = target else { return 0 }
            guard let position = positions[label], position > index else {
                throw .seccompProgram(reason: "internal error: jump to an unplaced or earlier label")
            }
            return UInt32(position - index - 1)
        }
        for item in items {
            let index = output.count
            switch item {
            case .place:
                continue
            case .load(let offset):
                output.append(SeccompInstruction(code: 0x20, jt: 0, jf: 0, k: offset))
            case .and(let mask):
                output.append(SeccompInstruction(code: 0x54, jt: 0, jf: 0, k: mask))
            case .ret(let action):
                output.append(SeccompInstruction(code: 0x06, jt: 0, jf: 0, k: action))
            case .jump(let label):
                output.append(SeccompInstruction(code: 0x05, jt: 0, jf: 0, k: try offset(.label(label), from: index)))
            case .branch(let op, let k, let ifTrue, let ifFalse):
                let jt = try offset(ifTrue, from: index)
                let jf = try offset(ifFalse, from: index)
                guard jt <= 255, jf <= 255 else {
                    throw .seccompProgram(reason: "internal error: a conditional jump spans more than 255 instructions")
                }
                output.append(SeccompInstruction(code: 0x05 | op.rawValue, jt: UInt8(jt), jf: UInt8(jf), k: k))
            }
        }
        return output
    }
}
