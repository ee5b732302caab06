#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An OCI / Docker seccomp profile (`linux.seccomp` in a runtime spec, Docker's `default.json`),
/// imported as a second filter. The kernel runs every installed filter and applies the most
/// restrictive verdict, so an imported profile can narrow Cordon's allow-list and never widen it.
public struct OCISeccompProfile: Sendable {
    /// The filter to install after Cordon's own.
    public var filter: SeccompFilter
    /// Names the profile lists that exist only on other architectures: skipped, and reported.
    public var skippedNames: [String]
    /// Rules left out because their `includes`/`excludes` do not apply here (capabilities,
    /// architectures, kernel version), as text for the report.
    public var skippedRules: [String]

    /// The architecture names profiles use for x86_64.
    static let nativeArchitectureNames: Set<String> = ["amd64", "x86_64", "SCMP_ARCH_X86_64"]

    /// Imports `json` (the file's bytes) read from `path` (for messages). `kernelRelease` is the
    /// running kernel's `(major, minor)` for `minKernel`; capabilities are evaluated as the empty
    /// set, because the sandboxed program holds none.
    public init(json: [UInt8], path: String, kernelRelease: (Int, Int)?) throws(CapabilityError) {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(json))
        } catch {
            throw .seccompProfile(path: path, reason: "not a seccomp profile in JSON (\(error)); expected an object with defaultAction and syscalls, as in Docker's default.json")
        }
        if let arches = document.architectures, !arches.isEmpty,
           !arches.contains(where: { Self.nativeArchitectureNames.contains($0) }) {
            throw .seccompProfile(path: path, reason: "it lists no x86_64 architecture (SCMP_ARCH_X86_64) among \(arches)")
        }
        let defaultAction = try Self.action(document.defaultAction, errno: document.defaultErrnoRet, path: path)
        var rules: [SeccompRule] = []
        var skippedNames: Set<String> = []
        var skippedRules: [String] = []
        for (position, entry) in (document.syscalls ?? []).enumerated() {
            let names = entry.names ?? entry.name.map { [$0] } ?? []
            let label = "syscalls[\(position)] (\(names.prefix(3).joined(separator: ", "))\(names.count > 3 ? ", ..." : ""))"
            if let why = Self.whyNotApplicable(includes: entry.includes, excludes: entry.excludes, kernelRelease: kernelRelease) {
                skippedRules.append("\(label): \(why)")
                continue
            }
            let action = try Self.action(entry.action, errno: entry.errnoRet ?? document.defaultErrnoRet, path: path)
            let conditions = try (entry.args ?? []).map { argument throws(CapabilityError) in
                try Self.condition(argument, path: path, label: label)
            }
            for name in names {
                if SyscallTable.number(name) != nil {
                    rules.append(SeccompRule(name, action, when: conditions))
                } else if SyscallTable.existsElsewhere(name) {
                    skippedNames.insert(name)
                } else {
                    throw .seccompProfile(path: path, reason: "\(label) names '\(name)', which is no system call on any architecture Cordon knows")
                }
            }
        }
        filter = SeccompFilter(name: "profile \(path)", defaultAction: defaultAction, unknownNumberAction: defaultAction, rules: rules)
        self.skippedNames = skippedNames.sorted()
        self.skippedRules = skippedRules
    }

    private static func action(_ text: String, errno: UInt16?, path: String) throws(CapabilityError) -> SeccompAction {
        switch text {
        case "SCMP_ACT_ALLOW": return .allow
        case "SCMP_ACT_ERRNO": return .errno(errno ?? Errno.EPERM)
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": return .killThread
        case "SCMP_ACT_KILL_PROCESS": return .killProcess
        case "SCMP_ACT_TRAP": return .trap
        case "SCMP_ACT_LOG": return .log
        // No tracer is ever attached inside Cordon, and the kernel answers ENOSYS then.
        case "SCMP_ACT_TRACE": return .errno(Errno.ENOSYS)
        case "SCMP_ACT_NOTIFY":
            throw .seccompProfile(path: path, reason: "SCMP_ACT_NOTIFY needs a listener, which Cordon does not provide to profiles; use SCMP_ACT_ERRNO")
        default:
            throw .seccompProfile(path: path, reason: "unknown action '\(text)'; expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_LOG or SCMP_ACT_TRACE")
        }
    }

    private static func condition(_ argument: Argument, path: String, label: String) throws(CapabilityError) -> ArgumentCondition {
        guard (0...5).contains(argument.index) else {
            throw .seccompProfile(path: path, reason: "\(label) tests argument \(argument.index); arguments are 0 to 5")
        }
        switch argument.op {
        case "SCMP_CMP_EQ": return ArgumentCondition(index: argument.index, .equal, argument.value)
        case "SCMP_CMP_NE": return ArgumentCondition(index: argument.index, .notEqual, argument.value)
        case "SCMP_CMP_LT": return ArgumentCondition(index: argument.index, .less, argument.value)
        case "SCMP_CMP_LE": return ArgumentCondition(index: argument.index, .lessOrEqual, argument.value)
        case "SCMP_CMP_GT": return ArgumentCondition(index: argument.index, .greater, argument.value)
        case "SCMP_CMP_GE": return ArgumentCondition(index: argument.index, .greaterOrEqual, argument.value)
        case "SCMP_CMP_MASKED_EQ":
            return ArgumentCondition(index: argument.index, .maskedEqual, argument.valueTwo ?? 0, mask: argument.value)
        default:
            throw .seccompProfile(path: path, reason: "\(label) uses unknown operator '\(argument.op)'; expected SCMP_CMP_EQ, NE, LT, LE, GT, GE or MASKED_EQ")
        }
    }

    /// `nil` when the rule applies to an x86_64 process with no capabilities on this kernel.
    private static func whyNotApplicable(includes: Filter?, excludes: Filter?, kernelRelease: (Int, Int)?) -> String? {
        if let caps = includes?.caps, !caps.isEmpty { return "needs capabilities \(caps.joined(separator: ", ")), and the sandbox holds none" }
        if let arches = includes?.arches, !arches.isEmpty, !arches.contains(where: nativeArchitectureNames.contains) {
            return "only for \(arches.joined(separator: ", "))"
        }
        if let arches = excludes?.arches, arches.contains(where: nativeArchitectureNames.contains) { return "excluded on x86_64" }
        if let minimum = includes?.minKernel, let kernelRelease {
            let parts = minimum.split(separator: ".").compactMap { Int($0) }
            let wanted = (parts.first ?? 0, parts.dropFirst().first ?? 0)
            if kernelRelease < wanted { return "needs kernel \(minimum)" }
        }
        return nil
    }

    private struct Document: Decodable {
        var defaultAction: String
        var defaultErrnoRet: UInt16?
        var architectures: [String]?
        var syscalls: [Entry]?
    }

    private struct Entry: Decodable {
        var names: [String]?
        var name: String?
        var action: String
        var errnoRet: UInt16?
        var args: [Argument]?
        var includes: Filter?
        var excludes: Filter?
    }

    private struct Argument: Decodable {
        var index: Int
        var value: UInt64
        var valueTwo: UInt64?
        var op: String
    }

    private struct Filter: Decodable {
        var caps: [String]?
        var arches: [String]?
        var minKernel: String?
    }
}
