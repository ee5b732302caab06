#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import SandboxPolicy
import Supervisor

/// `cordon doctor`: what this kernel can enforce and what `run` would apply here.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show what this kernel can enforce and what 'cordon run' would apply.",
        discussion: """
        Probes the kernel (Landlock ABI, seccomp, user namespaces, cgroup controllers), compiles \
        the session 'cordon run' would start in the current directory (or --workspace), and shows \
        the enforcement report layer by layer, the default view, the mandatory protections and \
        how each holds here, and the seccomp policy. Exits 0 when every layer is enforced, 1 when \
        'run' would refuse or run weakened.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Output format.")
    var format: Format = .text

    @Option(help: ArgumentHelp("The workspace to evaluate (default: the current directory).", valueName: "dir"))
    var workspace: String?

    /// The document `--format json` prints.
    struct Document: Codable {
        var kernel: KernelFeatures
        var report: EnforcementReport?
        /// Why `run` would refuse, when it would.
        var refusal: String?
        var defaultView: [String]
        var environmentAllowList: [String]
        var protections: [Protection]
        var appliedProtections: [AppliedProtection]
        var seccomp: SeccompSummary
    }

    struct SeccompSummary: Codable {
        var allowed: [String]
        var conditional: [String]
        var denied: [DeniedGroup]
        var instructions: Int
    }

    struct DeniedGroup: Codable {
        var names: [String]
        var reason: String
    }

    func run() throws {
        let kernel = Session.probeKernel()
        var document = Document(
            kernel: kernel, report: nil, refusal: nil, defaultView: Self.defaultView,
            environmentAllowList: ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LC_*", "TZ", "COLORTERM"],
            protections: Protection.mandatory, appliedProtections: [],
            seccomp: SeccompSummary(
                allowed: CordonSeccompPolicy.allowed,
                conditional: ["clone (no namespace flags)", "clone3 (ENOSYS)", "socket (AF_UNIX, AF_INET, AF_INET6, NETLINK_ROUTE)",
                              "socketpair (AF_UNIX)", "ioctl (not TIOCSTI, TIOCLINUX)", "personality (Linux personas only)"],
                denied: CordonSeccompPolicy.denied.map { DeniedGroup(names: $0.names, reason: $0.reason) },
                instructions: (try? CordonSeccompPolicy.filter.compile().instructions.count) ?? 0))
        do {
            let session = try Session.prepare(
                SessionRequest(program: ["true"], workspace: workspace), kernel: kernel,
                environment: RunCommand.environment(), terminal: .relayedPseudoTerminal)
            document.report = session.output.report
            document.appliedProtections = session.output.protections
        } catch {
            document.refusal = error.description
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        case .text:
            print(Self.text(document))
        }
        if document.refusal != nil || !(document.report?.weakened.isEmpty ?? true) { throw ExitCode(1) }
    }

    static let defaultView = [
        "read+exec /usr /bin /sbin /lib* /opt", "read curated /etc (synthesized passwd and group with only you)",
        "read+write+exec the workspace (and its git directory when that lies outside)", "private /tmp (tmpfs)",
        "empty home directory (tmpfs) at the real path", "/dev: null zero full random urandom tty, own devpts, shm",
        "fresh /proc (read-only)", "network: loopback in a private namespace", "no host unix sockets",
    ]

    static func text(_ d: Document) -> String {
        var lines: [String] = ["Kernel"]
        lines.append("  landlock            \(d.kernel.landlockABI.map { "ABI \($0)" } ?? "unavailable")")
        lines.append("  seccomp filter      \(d.kernel.seccompFilter ? "yes" : "no")")
        lines.append("  seccomp user notif  \(d.kernel.seccompUserNotification ? "yes" : "no")")
        lines.append("  user namespaces     \(d.kernel.userNamespaces ? "yes" : "no")")
        lines.append("  memory cgroup       \(d.kernel.memoryController.map { "\($0.version.rawValue) at \($0.parentDirectory)" } ?? "unavailable")")
        lines.append("  pids cgroup         \(d.kernel.pidsController.map { "\($0.version.rawValue) at \($0.parentDirectory)" } ?? "unavailable")")
        for (key, note) in d.kernel.notes.sorted(by: { $0.key < $1.key }) { lines.append("  note: \(key): \(note)") }
        lines.append("")
        if let refusal = d.refusal {
            lines.append("cordon run would refuse:")
            lines.append("  \(refusal)")
        }
        if let report = d.report {
            lines.append("What cordon run would enforce here")
            for entry in report.entries {
                lines.append("  \(entry.layer.padding(19)) \(entry.status.rawValue.padding(8)) \(entry.detail)")
            }
        }
        lines.append("")
        lines.append("Default view")
        lines += d.defaultView.map { "  \($0)" }
        lines.append("  environment: \(d.environmentAllowList.joined(separator: " ")) and env: grants")
        lines.append("")
        lines.append("Protections here (\(d.appliedProtections.count); the full list: --format json)")
        for p in d.appliedProtections where p.mechanism != .outsideView {
            lines.append("  \(p.mechanism.rawValue.padding(13)) \(p.kind.rawValue.padding(11)) \(p.path)")
        }
        lines.append("  \(d.appliedProtections.filter { $0.mechanism == .outsideView }.count) more lie outside the view")
        lines.append("")
        lines.append("Seccomp: \(d.seccomp.allowed.count) calls allowed, \(d.seccomp.conditional.count) by argument, the rest refused (\(d.seccomp.instructions) instructions)")
        for group in d.seccomp.denied { lines.append("  denied (\(group.reason)): \(group.names.joined(separator: " "))") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
