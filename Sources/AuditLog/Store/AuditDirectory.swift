#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The per-user audit directory and the names of what lives in it:
///
/// - `audit.jsonl`: the active file every session appends to;
/// - `audit-<first seq>-<last seq>.jsonl`: rotated files, oldest first by name;
/// - `checkpoints.jsonl`: signed checkpoints, when a signing key is configured;
/// - `.lock`: the `flock` every writer holds while it appends or rotates;
/// - `sinks/<name>.cursor`: the last sequence number each sink delivered.
public struct AuditDirectory: Sendable, Equatable {
    /// The directory's path.
    public var path: String

    /// A directory at `path`.
    public init(path: String) { self.path = path }

    /// `$XDG_STATE_HOME/cordon/audit`, or `~/.local/state/cordon/audit` when it is unset.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> AuditDirectory {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return AuditDirectory(path: state + "/cordon/audit")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return AuditDirectory(path: home + "/.local/state/cordon/audit")
    }

    /// The file name of the active file.
    public static let activeFileName = "audit.jsonl"
    /// The file name of the checkpoint file.
    public static let checkpointFileName = "checkpoints.jsonl"

    /// The active file's path.
    public var activeFile: String { path + "/" + Self.activeFileName }
    /// The checkpoint file's path.
    public var checkpointFile: String { path + "/" + Self.checkpointFileName }
    /// The lock file's path.
    var lockFile: String { path + "/.lock" }
    /// Where a sink keeps its cursor.
    func cursorFile(sink: String) -> String { path + "/sinks/" + sink + ".cursor" }

    /// The name a file holding `first...last` is rotated to. Fixed-width numbers make the
    /// names sort in chain order.
    static func rotatedName(first: UInt64, last: UInt64) -> String {
        func pad(_ value: UInt64) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
        }
        return "audit-\(pad(first))-\(pad(last)).jsonl"
    }

    /// The sequence range in a rotated file's name, or nil for any other name.
    static func rotatedRange(_ name: String) -> ClosedRange<UInt64>? {
        guard name.hasPrefix("audit-"), name.hasSuffix(".jsonl") else { return nil }
        let middle = name.dropFirst(6).dropLast(6).split(separator: "-")
        guard middle.count == 2, let first = UInt64(middle[0]), let last = UInt64(middle[1]), first <= last
        else { return nil }
        return first...last
    }

    /// A file of the chain.
    public struct ChainFile: Sendable, Equatable {
        /// Its path.
        public var path: String
        /// The sequence range its name states (rotated files only).
        public var range: ClosedRange<UInt64>?
    }

    /// The files of the chain in order: rotated files by first sequence number, then the
    /// active file if it exists.
    public func chainFiles() throws -> [ChainFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw AuditError(.io, operation: "list", path: path, detail: "cannot read the directory",
                             remedy: "check that the audit directory exists (see --audit-dir)")
        }
        var files = names.compactMap { name -> ChainFile? in
            Self.rotatedRange(name).map { ChainFile(path: path + "/" + name, range: $0) }
        }
        files.sort { $0.range!.lowerBound < $1.range!.lowerBound }
        if names.contains(Self.activeFileName) {
            files.append(ChainFile(path: activeFile, range: nil))
        }
        return files
    }

    /// Creates the directory (and missing parents) with mode 0700, and tightens an existing one
    /// that is readable by others: nobody but its owner may read what the agents did.
    public func create() throws {
        var prefix = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += "/" + String(component)
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw AuditError.system(operation: "create directory", path: prefix, errno: errno,
                                        remedy: "create it yourself or pass another --audit-dir")
            }
        }
        guard let info = try FileIO.stat(path: path), (info.st_mode & S_IFMT) == S_IFDIR else {
            throw AuditError(.io, operation: "create directory", path: path, detail: "not a directory",
                             remedy: "pass another --audit-dir")
        }
        if info.st_mode & 0o077 != 0, chmod(path, 0o700) != 0 {
            throw AuditError.system(operation: "chmod 0700", path: path, errno: errno,
                                    remedy: "the audit directory must belong to you")
        }
    }
}
