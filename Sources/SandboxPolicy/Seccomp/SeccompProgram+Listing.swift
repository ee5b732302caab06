/// A readable listing of a BPF program, for `cordon doctor`, reports and diffs in reviews.
extension SeccompProgram {
    /// One line per instruction: index, mnemonic, operands and, for loads and returns, what
    /// they mean.
    public var listing: String {
        var lines = ["# \(name): \(instructions.count) instructions"]
        for (index, instruction) in instructions.enumerated() {
            lines.append(String(index).leftPadded(to: 4) + "  " + Self.describe(instruction, at: index))
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ i: SeccompInstruction, at index: Int) -> String {
        let k = "0x" + String(i.k, radix: 16)
        switch i.code {
        case 0x20:
            let field: String
            switch i.k {
            case 0: field = "nr"
            case 4: field = "arch"
            case 8: field = "ip"
            case 12: field = "ip.hi"
            default: field = "args[\((i.k - 16) / 8)]" + ((i.k - 16) % 8 == 4 ? ".hi" : ".lo")
            }
            return "ld  [\(i.k)]  ; \(field)"
        case 0x54: return "and #\(k)"
        case 0x06: return "ret \(SeccompAction(returnValue: i.k).map(String.init(describing:)) ?? k)"
        case 0x05: return "ja  \(index + 1 + Int(i.k))"
        default:
            let op: String
            switch i.code {
            case 0x15: op = "jeq "
            case 0x25: op = "jgt "
            case 0x35: op = "jge "
            case 0x45: op = "jset"
            default: op = "op 0x" + String(i.code, radix: 16)
            }
            return "\(op) #\(k)  true: \(index + 1 + Int(i.jt))  false: \(index + 1 + Int(i.jf))"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
