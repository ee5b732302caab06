import ArgumentParser
import AuditLog
import Foundation

/// `cordon audit export --format opa|ocsf|jsonl`: one event per line on standard output.
struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log as OPA decision-log events, OCSF events or raw records, one per line."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case opa, ocsf, jsonl
    }

    @OptionGroup var audit: AuditDirectoryOptions

    @Argument(help: "A log file or an audit directory (default: the audit directory).")
    var path: String?

    @Option(help: "opa (decisions only), ocsf, or jsonl (the records as written; unfiltered, they still verify).")
    var format: Format

    @Option(help: "A JSON file with mask rules in OPA's data.system.log.mask form, applied to OPA events.")
    var mask: String?

    @Option(name: .customLong("label"), help: "A label key=value added to OPA events (repeatable).")
    var labels: [String] = []

    @OptionGroup var query: AuditQueryOptions

    func run() throws {
        let filter = try query.query()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var masks = [DecisionLogMask]()
        if let mask {
            let rules = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: mask)))
            masks = try DecisionLogMask.rules(rules)
        }
        var labelMap = [String: String]()
        for label in labels {
            guard let equals = label.firstIndex(of: "=") else {
                throw ValidationError("--label takes key=value, not \(label)")
            }
            labelMap[String(label[..<equals])] = String(label[label.index(after: equals)...])
        }
        let opa = DecisionLogEncoder(labels: labelMap, masks: masks)
        let ocsf = OCSFEncoder()
        var output = FileHandleOutput()
        try AuditLogReader.forEachLine(path: path ?? audit.directory.path) { record, line in
            guard filter.matches(record) else { return }
            switch format {
            case .opa:
                if let event = opa.event(for: record) { output.line(try encoder.encode(event)) }
            case .ocsf:
                output.line(try encoder.encode(ocsf.event(for: record)))
            case .jsonl:
                output.line(Data(line))
            }
        }
        output.flush()
    }
}
