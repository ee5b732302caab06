import ArgumentParser
import AuditLog
import Foundation

/// `cordon audit tail [-f]`: the latest records, readable, and new ones as they are written.
struct AuditTailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the latest audit records and, with -f, follow new ones."
    )

    @OptionGroup var audit: AuditDirectoryOptions

    @Flag(name: .shortAndLong, help: "Keep printing records as they are written.")
    var follow = false

    @Option(help: "Only records of this session.")
    var session: String?

    @Flag(help: "Only denials.")
    var denied = false

    @Option(name: .customShort("n"), help: "How many records to show first.")
    var lines = 10

    func run() throws {
        let directory = audit.directory
        let query = AuditQuery(session: session, decision: denied ? .deny : nil)
        let formatter = AuditRecordFormatter(colour: isatty(1) == 1)
        var latest = [AuditRecord]()
        var lastSeq: UInt64 = 0
        try AuditLogReader.forEachRecord(path: directory.path) { record in
            lastSeq = record.seq
            guard query.matches(record) else { return }
            latest.append(record)
            if latest.count > lines { latest.removeFirst() }
        }
        for record in latest { print(formatter.line(for: record)) }
        guard follow else { return }
        let follower = AuditFollower(directory: directory, after: lastSeq)
        while true {
            let batch = try follower.next(limit: 1000)
            for entry in batch where query.matches(entry.record) { print(formatter.line(for: entry.record)) }
            fflush(nil)
            if batch.isEmpty { usleep(200_000) }
        }
    }
}
