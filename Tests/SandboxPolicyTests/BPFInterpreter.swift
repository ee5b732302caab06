import SandboxPolicy

/// A classic BPF interpreter for the subset seccomp programs use, so tests can ask what a
/// program answers for given system call data without loading it into a kernel.
struct BPFInterpreter {
    /// `struct seccomp_data`.
    struct Data {
        var number: UInt32
        var architecture: UInt32 = SyscallTable.auditArchX86_64
        var arguments: [UInt64] = [0, 0, 0, 0, 0, 0]

        init(_ name: String, _ arguments: UInt64...) {
            number = SyscallTable.number(name)!
            for (i, a) in arguments.enumerated() { self.arguments[i] = a }
        }

        init(number: UInt32, architecture: UInt32 = SyscallTable.auditArchX86_64) {
            self.number = number
            self.architecture = architecture
        }

        func word(at offset: UInt32) -> UInt32 {
            switch offset {
            case 0: return number
            case 4: return architecture
            case 8, 12: return 0
            default:
                let argument = arguments[Int((offset - 16) / 8)]
                return (offset - 16) % 8 == 0 ? UInt32(truncatingIfNeeded: argument) : UInt32(truncatingIfNeeded: argument >> 32)
            }
        }
    }

    enum Failure: Error { case badInstruction(Int), fellOffTheEnd, badReturn(UInt32) }

    static func run(_ program: SeccompProgram, _ data: Data) throws -> SeccompAction {
        var a: UInt32 = 0
        var pc = 0
        let code = program.instructions
        while pc < code.count {
            let i = code[pc]
            pc += 1
            switch i.code {
            case 0x20: a = data.word(at: i.k)
            case 0x54: a &= i.k
            case 0x06:
                guard let action = SeccompAction(returnValue: i.k) else { throw Failure.badReturn(i.k) }
                return action
            case 0x05: pc += Int(i.k)
            case 0x15: pc += Int(a == i.k ? i.jt : i.jf)
            case 0x25: pc += Int(a > i.k ? i.jt : i.jf)
            case 0x35: pc += Int(a >= i.k ? i.jt : i.jf)
            case 0x45: pc += Int(a & i.k != 0 ? i.jt : i.jf)
            default: throw Failure.badInstruction(pc - 1)
            }
        }
        throw Failure.fellOffTheEnd
    }
}
