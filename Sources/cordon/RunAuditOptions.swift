import ArgumentParser
import AuditLog
import Supervisor

/// `cordon run`'s audit options: how the session is recorded.
struct RunAuditOptions: ParsableArguments {
    @Option(name: .customLong("audit"),
            help: ArgumentHelp("required: do not start the program unless its session can be recorded; best-effort: run anyway and report gaps loudly.", valueName: "mode"))
    var mode: String = AuditMode.bestEffort.rawValue

    @OptionGroup var directory: AuditDirectoryOptions

    @Option(name: .customLong("audit-sign-key"),
            help: ArgumentHelp("Sign checkpoints of the audit log with this Ed25519 key (from 'cordon audit keygen').", valueName: "file"))
    var signingKey: String?

    mutating func validate() throws {
        guard AuditMode(rawValue: mode) != nil else {
            throw ValidationError("--audit '\(mode)': expected \(AuditMode.allCases.map(\.rawValue).joined(separator: " or "))")
        }
    }

    /// The typed options.
    var options: SessionAuditOptions {
        SessionAuditOptions(mode: AuditMode(rawValue: mode) ?? .required, directory: directory.auditDirectory, signingKey: signingKey)
    }
}
