import ArgumentParser
import AuditLog
import Foundation

/// `cordon audit`: read, check and export the tamper-evident decision log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, search, follow and export the audit log of every decision Cordon made.",
        subcommands: [
            AuditVerifyCommand.self, AuditTailCommand.self, AuditQueryCommand.self, AuditExportCommand.self,
            AuditKeygenCommand.self,
        ]
    )
}

/// `--audit-dir`, shared by every command that reads or writes the log.
struct AuditDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("audit-dir"),
            help: "The audit directory (default: $XDG_STATE_HOME/cordon/audit, or ~/.local/state/cordon/audit).")
    var auditDirectory: String?

    /// The directory chosen.
    var directory: AuditDirectory {
        auditDirectory.map(AuditDirectory.init(path:)) ?? .defaultDirectory()
    }
}

/// `--format text|json` for commands whose output a program may read.
enum AuditOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// The record filters `query` and `export` share.
struct AuditQueryOptions: ParsableArguments {
    @Option(help: "Only records at or after this time: RFC 3339, or a duration ago such as 30m, 2h, 7d.")
    var since: String?

    @Option(help: "Only records of this session.")
    var session: String?

    @Option(help: "Only records of this kind: \(AuditEventKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: String?

    @Option(help: "Only decisions with this outcome: allow, deny, ask, approve, expire, revoke.")
    var decision: String?

    @Option(help: "Only decisions about this path or below it.")
    var path: String?

    @Option(help: "Only decisions about this host.")
    var host: String?

    /// The typed filter.
    func query() throws -> AuditQuery {
        var query = AuditQuery(session: session, pathPrefix: path, host: host)
        if let since { query.since = try AuditQuery.time(since: since) }
        if let kind {
            guard let parsed = AuditEventKind(rawValue: kind) else {
                throw ValidationError("--kind must be one of \(AuditEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.kind = parsed
        }
        if let decision {
            guard let parsed = AuditEvent.DecisionOutcome(rawValue: decision) else {
                throw ValidationError("--decision must be one of allow, deny, ask, approve, expire, revoke")
            }
            query.decision = parsed
        }
        return query
    }
}

/// Buffered standard output for commands that print many lines.
struct FileHandleOutput {
    private var buffer = Data()

    mutating func line(_ data: Data) {
        buffer.append(data)
        buffer.append(10)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func line(_ text: String) { line(Data(text.utf8)) }

    mutating func text(_ text: String) { buffer.append(Data(text.utf8)) }

    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
