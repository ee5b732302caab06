import ArgumentParser
import AuditLog
import Foundation

/// `cordon audit query`: the records that match, as readable lines or a JSON array.
struct AuditQueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Search the audit log by time, session, kind, outcome, path or host."
    )

    @OptionGroup var audit: AuditDirectoryOptions

    @OptionGroup var filters: AuditQueryOptions

    @Option(help: "Output format: text, or json (an array of records).")
    var format: AuditOutputFormat = .text

    @Argument(help: "A log file or an audit directory (default: the audit directory).")
    var file: String?

    func run() throws {
        let query = try filters.query()
        let formatter = AuditRecordFormatter(colour: isatty(1) == 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = FileHandleOutput()
        var first = true
        if format == .json { output.line("[") }
        try AuditLogReader.forEachRecord(path: file ?? audit.directory.path) { record in
            guard query.matches(record) else { return }
            switch format {
            case .text:
                output.line(formatter.line(for: record))
            case .json:
                if !first { output.line(",") }
                output.text(String(decoding: try encoder.encode(record), as: UTF8.self))
            }
            first = false
        }
        if format == .json { output.line(first ? "]" : "\n]") }
        output.flush()
    }
}
