/// A seccomp filter as rules over system call names, before it is compiled into BPF.
///
/// Both Cordon's own allow-list and imported OCI profiles are expressed as a `SeccompFilter`,
/// so one compiler (and one set of tests) produces every program the launcher installs.
public struct SeccompFilter: Sendable, Equatable {
    /// Name shown in reports, e.g. `"cordon allow-list"`.
    public var name: String
    /// Action for a known system call that no rule matches.
    public var defaultAction: SeccompAction
    /// Action for a number beyond every name in the table (a kernel newer than Cordon):
    /// `ENOSYS`, so that libraries fall back to older calls as they do on older kernels.
    public var unknownNumberAction: SeccompAction
    /// Rules in order; for one system call the first whose conditions all hold decides.
    public var rules: [SeccompRule]

    /// Creates a filter.
    public init(name: String, defaultAction: SeccompAction, unknownNumberAction: SeccompAction, rules: [SeccompRule]) {
        self.name = name
        self.defaultAction = defaultAction
        self.unknownNumberAction = unknownNumberAction
        self.rules = rules
    }
}

/// What the kernel does when a rule matches.
public enum SeccompAction: Sendable, Hashable, CustomStringConvertible {
    case allow
    /// Fails the call with this errno.
    case errno(UInt16)
    case killProcess
    case killThread
    case trap
    /// Allows and logs.
    case log

    /// The `SECCOMP_RET_*` value.
    public var returnValue: UInt32 {
        switch self {
        case .allow: return 0x7fff_0000
        case .errno(let e): return 0x0005_0000 | UInt32(e)
        case .killProcess: return 0x8000_0000
        case .killThread: return 0
        case .trap: return 0x0003_0000
        case .log: return 0x7ffc_0000
        }
    }

    /// Decodes a `SECCOMP_RET_*` value (for disassembly and tests).
    public init?(returnValue: UInt32) {
        switch returnValue & 0xffff_0000 {
        case 0x7fff_0000: self = .allow
        case 0x0005_0000: self = .errno(UInt16(returnValue & 0xffff))
        case 0x8000_0000: self = .killProcess
        case 0: self = .killThread
        case 0x0003_0000: self = .trap
        case 0x7ffc_0000: self = .log
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .allow: return "allow"
        case .errno(let e): return "errno \(Errno.name(e))"
        case .killProcess: return "kill-process"
        case .killThread: return "kill-thread"
        case .trap: return "trap"
        case .log: return "log"
        }
    }
}

/// The errno values the filters use, by name.
public enum Errno {
    public static let EPERM: UInt16 = 1
    public static let ENOSYS: UInt16 = 38
    public static let EAFNOSUPPORT: UInt16 = 97
    public static let EPROTONOSUPPORT: UInt16 = 93
    public static let EINVAL: UInt16 = 22

    /// The symbolic name of `value`, or the number.
    public static func name(_ value: UInt16) -> String {
        switch value {
        case EPERM: return "EPERM"
        case ENOSYS: return "ENOSYS"
        case EAFNOSUPPORT: return "EAFNOSUPPORT"
        case EPROTONOSUPPORT: return "EPROTONOSUPPORT"
        case EINVAL: return "EINVAL"
        default: return String(value)
        }
    }
}

/// One rule: a system call, conditions on its arguments (all must hold) and an action.
public struct SeccompRule: Sendable, Equatable {
    public var syscall: String
    public var conditions: [ArgumentCondition]
    public var action: SeccompAction

    /// Creates a rule.
    public init(_ syscall: String, _ action: SeccompAction, when conditions: [ArgumentCondition] = []) {
        self.syscall = syscall
        self.conditions = conditions
        self.action = action
    }
}

/// A comparison of one system call argument against a constant.
public struct ArgumentCondition: Sendable, Equatable {
    /// Comparison operators (unsigned), as in OCI profiles.
    public enum Operator: String, Sendable, Equatable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        /// `(argument & mask) == value`.
        case maskedEqual
    }

    /// Argument index, 0 to 5.
    public var index: Int
    public var op: Operator
    public var value: UInt64
    /// The mask of `maskedEqual`.
    public var mask: UInt64
    /// Compare only the low 32 bits: for arguments the kernel reads as `int` (an ioctl request,
    /// a socket family), where high bits are ignored by the kernel and must be by the filter too.
    public var lowWordOnly: Bool

    /// Creates a condition.
    public init(index: Int, _ op: Operator, _ value: UInt64, mask: UInt64 = .max, lowWordOnly: Bool = false) {
        self.index = index
        self.op = op
        self.value = value
        self.mask = mask
        self.lowWordOnly = lowWordOnly
    }
}
