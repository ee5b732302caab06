/// x86_64 system call names and numbers, and the names other architectures add.
public enum SyscallTable {
    /// `AUDIT_ARCH_X86_64`: the only architecture Cordon's programs let through.
    public static let auditArchX86_64: UInt32 = 0xC000_003E
    /// `__X32_SYSCALL_BIT`: x32 calls enter the 64-bit table with this bit set.
    public static let x32SyscallBit: UInt32 = 0x4000_0000

    /// The x86_64 number of `name`, or `nil` when x86_64 has no such call.
    public static func number(_ name: String) -> UInt32? { x86_64Numbers[name] }

    /// The name of x86_64 call `number`.
    public static func name(_ number: UInt32) -> String? { number <= highestNumber ? namesByNumber[Int(number)] : nil }

    /// True when some architecture other than x86_64 has a call of that name.
    public static func existsElsewhere(_ name: String) -> Bool { otherArchitectureNames.contains(name) }

    /// The highest number in the table.
    public static let highestNumber: UInt32 = x86_64Numbers.values.max() ?? 0

    /// Indexed by number; the table has a few gaps (numbers x86_64 never assigned).
    private static let namesByNumber: [String?] = {
        var names = [String?](repeating: nil, count: Int(highestNumber) + 1)
        for (name, number) in x86_64Numbers { names[Int(number)] = name }
        return names
    }()
}
