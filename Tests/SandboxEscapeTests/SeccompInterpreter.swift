import SandboxPolicy

/// Runs a classic BPF seccomp program against one `struct seccomp_data`, as the kernel would.
/// Used where a probe's positive control cannot succeed (x32 compiled out, a root-only call
/// in the unprivileged pass): the program itself is then asked what it would do.
struct SeccompInterpreter {
    /// `AUDIT_ARCH_X86_64` and `AUDIT_ARCH_I386`.
    static let architectures: [String: UInt32] = ["x86_64": 0xC000_003E, "i386": 0x4000_0003]

    /// What a filter returned, decoded from `SECCOMP_RET_*`.
    enum Action: Equatable, CustomStringConvertible {
        case allow, log, killProcess, killThread, trap, errno(UInt16), userNotify, trace, invalid(String)

        init(_ ret: UInt32) {
            switch ret & 0xFFFF_0000 {
            case 0x7FFF_0000: self = .allow
            case 0x7FFC_0000: self = .log
            case 0x8000_0000: self = .killProcess
            case 0x0000_0000: self = .killThread
            case 0x0003_0000: self = .trap
            case 0x0005_0000: self = .errno(UInt16(ret & 0xFFFF))
            case 0x7FC0_0000: self = .userNotify
            case 0x7FF0_0000: self = .trace
            default: self = .invalid(String(ret, radix: 16))
            }
        }

        var denies: Bool {
            switch self {
            case .killProcess, .killThread, .trap, .errno: return true
            default: return false
            }
        }

        var kills: Bool { self == .killProcess || self == .killThread }

        var description: String {
            switch self {
            case .allow: return "ALLOW"
            case .log: return "LOG"
            case .killProcess: return "KILL_PROCESS"
            case .killThread: return "KILL_THREAD"
            case .trap: return "TRAP"
            case .errno(let e): return "ERRNO(\(e))"
            case .userNotify: return "USER_NOTIF"
            case .trace: return "TRACE"
            case .invalid(let why): return "invalid(\(why))"
            }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let program: [SeccompInstruction]

    /// Evaluates the program for `nr` on `arch` with `args` (missing ones are 0).
    func evaluate(arch: UInt32, nr: UInt32, args: [UInt64], ip: UInt64 = 0) throws -> Action {
        var data = [UInt32](repeating: 0, count: 16)
        data[0] = nr
        data[1] = arch
        data[2] = UInt32(truncatingIfNeeded: ip)
        data[3] = UInt32(truncatingIfNeeded: ip >> 32)
        for (i, arg) in args.prefix(6).enumerated() {
            data[4 + 2 * i] = UInt32(truncatingIfNeeded: arg)
            data[5 + 2 * i] = UInt32(truncatingIfNeeded: arg >> 32)
        }
        var a: UInt32 = 0, x: UInt32 = 0
        var memory = [UInt32](repeating: 0, count: 16)
        var pc = 0
        var steps = 0
        while pc < program.count {
            steps += 1
            guard steps <= 4096 else { throw Failure(description: "program did not return within 4096 steps") }
            let ins = program[pc]
            let cls = ins.code & 0x07
            pc += 1
            switch cls {
            case 0x00, 0x01: // LD, LDX
                let value: UInt32
                switch ins.code & 0xE0 {
                case 0x00: value = ins.k // IMM
                case 0x20: // ABS
                    guard ins.code & 0x18 == 0x00, ins.k % 4 == 0, ins.k < 64 else {
                        throw Failure(description: "unsupported load at \(pc - 1): code \(ins.code) k \(ins.k)")
                    }
                    value = data[Int(ins.k / 4)]
                case 0x60: // MEM
                    guard ins.k < 16 else { throw Failure(description: "scratch index \(ins.k) out of range") }
                    value = memory[Int(ins.k)]
                case 0x80: value = 64 // LEN
                default: throw Failure(description: "unsupported load mode at \(pc - 1): code \(ins.code)")
                }
                if cls == 0x00 { a = value } else { x = value }
            case 0x02: memory[Int(ins.k & 15)] = a // ST
            case 0x03: memory[Int(ins.k & 15)] = x // STX
            case 0x04: // ALU
                let operand = ins.code & 0x08 != 0 ? x : ins.k
                switch ins.code & 0xF0 {
                case 0x00: a = a &+ operand
                case 0x10: a = a &- operand
                case 0x20: a = a &* operand
                case 0x30: guard operand != 0 else { return Action(0) }; a /= operand
                case 0x40: a |= operand
                case 0x50: a &= operand
                case 0x60: a = operand >= 32 ? 0 : a << operand
                case 0x70: a = operand >= 32 ? 0 : a >> operand
                case 0x80: a = 0 &- a
                case 0x90: guard operand != 0 else { return Action(0) }; a %= operand
                case 0xA0: a ^= operand
                default: throw Failure(description: "unsupported ALU op at \(pc - 1): code \(ins.code)")
                }
            case 0x05: // JMP
                let operand = ins.code & 0x08 != 0 ? x : ins.k
                let taken: Bool
                switch ins.code & 0xF0 {
                case 0x00: pc += Int(ins.k); continue // JA
                case 0x10: taken = a == operand
                case 0x20: taken = a > operand
                case 0x30: taken = a >= operand
                case 0x40: taken = a & operand != 0
                default: throw Failure(description: "unsupported jump at \(pc - 1): code \(ins.code)")
                }
                pc += Int(taken ? ins.jt : ins.jf)
            case 0x06: // RET
                return Action(ins.code & 0x18 == 0x10 ? a : ins.k)
            case 0x07: // MISC
                if ins.code & 0xF8 == 0x00 { x = a } else { a = x }
            default:
                throw Failure(description: "unknown instruction class at \(pc - 1)")
            }
        }
        throw Failure(description: "program fell off its end")
    }

    /// Checks one expectation from the probe data; returns the action and whether it holds.
    func check(_ expectation: SeccompExpectation) throws -> (action: Action, holds: Bool) {
        guard let arch = Self.architectures[expectation.arch ?? "x86_64"] else {
            throw Failure(description: "unknown architecture \(expectation.arch ?? "")")
        }
        let action = try evaluate(arch: arch, nr: expectation.nr, args: expectation.args ?? [])
        switch expectation.expect ?? "deny" {
        case "allow": return (action, action == .allow)
        case "kill": return (action, action.kills)
        default: return (action, action.denies)
        }
    }
}
