import ArgumentParser
import AuditLog
import Foundation

/// `cordon audit verify [FILE|DIR]`: exit 0 when the chain holds, 1 naming the first bad record.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no record was edited, dropped, reordered, duplicated or inserted."
    )

    @OptionGroup var audit: AuditDirectoryOptions

    @Argument(help: "A log file or an audit directory (default: the audit directory).")
    var path: String?

    @Option(name: .customLong("public-key"), help: "Check signed checkpoints with this public key (a .pub file or base64).")
    var publicKey: String?

    @Option(help: "The checkpoint file (default: checkpoints.jsonl beside the log).")
    var checkpoints: String?

    @Option(help: "Output format.")
    var format: AuditOutputFormat = .text

    func run() throws {
        let key = try publicKey.map(AuditKeys.publicKey)
        let result = try AuditVerifier.verify(path: path ?? audit.directory.path, publicKey: key, checkpointFile: checkpoints)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        case .text:
            if let failure = result.failure {
                print("FAILED \(failure.file):\(failure.line): \(failure.kind.rawValue): \(failure.message)")
                print("\(result.records) record(s) verified before it.")
            } else {
                let range = result.firstSeq.map { "seq \($0)...\(result.lastSeq ?? $0)" } ?? "no records"
                print("OK \(result.records) record(s), \(range), \(result.files.count) file(s)"
                    + (result.anchoredAtGenesis ? ", from the first record" : ""))
                if result.checkpointsVerified > 0 {
                    print("\(result.checkpointsVerified) signed checkpoint(s) verified, the last at seq \(result.lastCheckpointSeq ?? 0)")
                }
            }
            for note in result.notes { print("note: \(note)") }
        }
        if !result.ok { throw ExitCode(1) }
    }
}
