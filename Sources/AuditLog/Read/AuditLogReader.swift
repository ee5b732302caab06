#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads the records of a log file or an audit directory in chain order, for `query`, `tail` and
/// `export`. Reading does not verify: `AuditVerifier` does that.
public enum AuditLogReader {
    /// Calls `body` with every whole record of `path` (a file, or a directory's chain files in
    /// order). A partial last line is skipped; any other line that is not a record throws.
    public static func forEachRecord(path: String, _ body: (AuditRecord) throws -> Void) throws {
        try forEachLine(path: path) { record, _ in try body(record) }
    }

    /// Like `forEachRecord`, with each record's exact line (without newline): exporting the
    /// lines unchanged keeps the chain verifiable wherever they go.
    public static func forEachLine(path: String, _ body: (AuditRecord, ArraySlice<UInt8>) throws -> Void) throws {
        for file in try files(path: path) {
            let content = try FileIO.readFile(file)
            var lineNumber = 0
            var start = 0
            while let newline = content[start...].firstIndex(of: 10) {
                lineNumber += 1
                let line = content[start..<newline]
                start = newline + 1
                let record: AuditRecord
                do {
                    record = try AuditRecord.decode(line: line)
                } catch {
                    throw AuditError(.corrupt, operation: "read", path: "\(file):\(lineNumber)",
                                     detail: "not an audit record", remedy: "run `cordon audit verify \(path)`")
                }
                try body(record, line)
            }
        }
    }

    /// The files `path` stands for, in chain order.
    static func files(path: String) throws -> [String] {
        guard let info = try FileIO.stat(path: path) else {
            throw AuditError(.invalidArgument, operation: "read", path: path, detail: "no such file or directory",
                             remedy: "pass an audit log file or directory (see --audit-dir)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return try AuditDirectory(path: path).chainFiles().map(\.path)
        }
        return [path]
    }
}
