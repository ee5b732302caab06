import Crypto
import Foundation

/// Checks a log file or a whole audit directory: every record's `seq` is one more than the one
/// before and its `prev` is the hash of the line before, across rotated files; signed
/// checkpoints match and nothing they cover is missing.
public enum AuditVerifier {
    /// Verifies `path` (a log file or an audit directory). A directory's chain must start at the
    /// first record ever written; a single file may continue an earlier one. Checkpoints are
    /// read from `checkpointFile`, or from `checkpoints.jsonl` beside the log. With a
    /// `publicKey`, every checkpoint must be signed by it and at least one must exist.
    public static func verify(
        path: String, publicKey: Curve25519.Signing.PublicKey? = nil, checkpointFile: String? = nil
    ) throws -> AuditVerification {
        guard let info = try FileIO.stat(path: path) else {
            throw AuditError(.invalidArgument, operation: "verify", path: path, detail: "no such file or directory",
                             remedy: "pass an audit log file or directory (see --audit-dir)")
        }
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        let files: [String]
        let checkpointPath: String
        if isDirectory {
            let directory = AuditDirectory(path: path)
            files = try directory.chainFiles().map(\.path)
            checkpointPath = checkpointFile ?? directory.checkpointFile
        } else {
            files = [path]
            let parent = (path as NSString).deletingLastPathComponent
            checkpointPath = checkpointFile ?? ((parent.isEmpty ? "." : parent) + "/" + AuditDirectory.checkpointFileName)
        }
        var walk = ChainWalk(requireGenesis: isDirectory)
        walk.result.files = files
        try walk.loadCheckpoints(path: checkpointPath, publicKey: publicKey)
        for (index, file) in files.enumerated() where walk.result.failure == nil {
            try walk.verify(file: file, isLast: index == files.count - 1)
        }
        walk.finish(publicKey: publicKey)
        return walk.result
    }
}

/// The state of a verification as it walks the chain.
struct ChainWalk {
    var result = AuditVerification()
    let requireGenesis: Bool
    var previous: (seq: UInt64, hash: String, file: String, line: Int)?
    var hashBeforePrevious: String?
    var checkpoints: [UInt64: AuditCheckpoint] = [:]

    init(requireGenesis: Bool) { self.requireGenesis = requireGenesis }

    /// A record's link fields.
    struct Link: Decodable {
        var seq: UInt64
        var prev: String
    }

    mutating func loadCheckpoints(path: String, publicKey: Curve25519.Signing.PublicKey?) throws {
        for checkpoint in try AuditCheckpoint.load(path: path) {
            if let publicKey, !checkpoint.isValid(for: publicKey) {
                fail(.badSignature, file: path, line: 0, seq: checkpoint.seq,
                     "the checkpoint of seq \(checkpoint.seq) is not signed by the given public key")
                return
            }
            checkpoints[checkpoint.seq] = checkpoint
        }
    }

    mutating func fail(_ kind: AuditVerification.FailureKind, file: String, line: Int, seq: UInt64?, _ message: String) {
        if result.failure == nil {
            result.failure = .init(kind: kind, file: file, line: line, seq: seq, message: message)
        }
    }

    mutating func verify(file: String, isLast: Bool) throws {
        let content = try FileIO.readFile(file)
        var lines = content.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
        // split leaves an empty element after the final newline; anything else there is an
        // unfinished record.
        let tail = lines.removeLast()
        if !tail.isEmpty {
            if isLast {
                result.partialTail = .init(file: file, bytes: tail.count, wholeLines: lines.count)
            } else {
                fail(.truncated, file: file, line: lines.count + 1, seq: nil,
                     "the file ends in the middle of a record but later files continue the chain")
                return
            }
        }
        let links = lines.map { try? JSONDecoder().decode(Link.self, from: Data($0)) }
        for index in lines.indices {
            guard let link = links[index] else {
                fail(.malformed, file: file, line: index + 1, seq: nil, "line \(index + 1) is not an audit record")
                return
            }
            let hash = AuditRecord.hash(line: lines[index])
            guard let previous else {
                if link.seq == 1, link.prev == AuditRecord.genesis {
                    result.anchoredAtGenesis = true
                } else if requireGenesis {
                    fail(.missingStart, file: file, line: index + 1, seq: link.seq,
                         "the chain starts at seq \(link.seq): the records before it are missing")
                    return
                } else {
                    result.notes.append("\(file) continues an earlier file at seq \(link.seq); the link to it was not checked")
                }
                accept(link: link, hash: hash, file: file, line: index + 1)
                continue
            }
            if link.seq != previous.seq + 1 || link.prev != previous.hash {
                diagnose(lines: lines, links: links, index: index, file: file)
                return
            }
            accept(link: link, hash: hash, file: file, line: index + 1)
        }
    }

    private mutating func accept(link: Link, hash: String, file: String, line: Int) {
        if let checkpoint = checkpoints[link.seq] {
            guard checkpoint.hash == hash else {
                fail(.checkpointMismatch, file: file, line: line, seq: link.seq,
                     "record seq \(link.seq) does not match its signed checkpoint: it was edited")
                return
            }
            result.checkpointsVerified += 1
            result.lastCheckpointSeq = link.seq
        }
        hashBeforePrevious = previous?.hash
        previous = (link.seq, hash, file, line)
        result.records += 1
        if result.firstSeq == nil { result.firstSeq = link.seq }
        result.lastSeq = link.seq
        result.lastHash = hash
    }

    /// Names what broke the chain at `index`, looking one record around it.
    private mutating func diagnose(lines: [[UInt8]], links: [Link?], index: Int, file: String) {
        guard let previous, let link = links[index] else { return }
        let expected = previous.seq + 1
        let line = index + 1
        let next = index + 1 < links.count ? links[index + 1] : nil
        if index > 0, lines[index] == lines[index - 1] {
            fail(.duplicated, file: file, line: line, seq: link.seq, "line \(line) repeats the line before it")
        } else if let hashBeforePrevious, link.prev == hashBeforePrevious {
            retractPrevious()
            fail(.inserted, file: previous.file, line: previous.line, seq: previous.seq,
                 "line \(previous.line) (seq \(previous.seq)) was inserted: the record after it chains past it")
        } else if link.seq > expected {
            if links[(index + 1)...].contains(where: { $0?.seq == expected }) {
                fail(.reordered, file: file, line: line, seq: link.seq,
                     "line \(line) has seq \(link.seq) where seq \(expected) was due; seq \(expected) comes later")
            } else {
                fail(.dropped, file: file, line: line, seq: link.seq,
                     "records seq \(expected)...\(link.seq - 1) are missing before line \(line)")
            }
        } else if link.seq < expected {
            let kind: AuditVerification.FailureKind = link.seq == previous.seq ? .duplicated : .reordered
            fail(kind, file: file, line: line, seq: link.seq, "line \(line) has seq \(link.seq) after seq \(previous.seq)")
        } else if let next, next.seq == expected, next.prev == previous.hash {
            fail(.inserted, file: file, line: line, seq: link.seq,
                 "line \(line) (seq \(link.seq)) was inserted: the record after it chains to the one before it")
        } else {
            retractPrevious()
            fail(.edited, file: previous.file, line: previous.line, seq: previous.seq,
                 "line \(previous.line) (seq \(previous.seq)) was changed: its hash is not the one line \(line) recorded")
        }
    }

    /// The record before the break turned out to be the bad one: it no longer counts as verified.
    private mutating func retractPrevious() {
        guard let previous else { return }
        result.records -= 1
        result.lastSeq = result.records > 0 ? previous.seq - 1 : nil
        result.lastHash = hashBeforePrevious
        if result.lastCheckpointSeq == previous.seq {
            result.checkpointsVerified -= 1
            result.lastCheckpointSeq = nil
        }
    }

    mutating func finish(publicKey: Curve25519.Signing.PublicKey?) {
        guard result.failure == nil else { return }
        let end = result.lastSeq ?? 0
        if let beyond = checkpoints.keys.filter({ $0 > end }).max() {
            fail(.truncated, file: result.files.last ?? "", line: result.records, seq: end,
                 "the log ends at seq \(end) but a checkpoint covers seq \(beyond): records were cut from the end")
            return
        }
        if publicKey != nil {
            if result.checkpointsVerified == 0 {
                fail(.badSignature, file: result.files.last ?? "", line: 0, seq: nil,
                     "no checkpoint signed by the given public key covers this log")
                return
            }
            if let covered = result.lastCheckpointSeq, covered < end {
                result.notes.append("records after seq \(covered) are not covered by a signed checkpoint yet")
            }
        } else if !checkpoints.isEmpty {
            result.notes.append("checkpoint hashes were compared but their signatures were not checked (no public key)")
        }
        if let partial = result.partialTail {
            result.notes.append("\(partial.file) ends with an unfinished record of \(partial.bytes) bytes "
                + "(a writer stopped mid-record); the \(partial.wholeLines) whole records before it verify")
        }
    }
}
