#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension AuditWriter {
    /// The active file with its last record, re-read when another process has written, rotated
    /// or removed it since this writer last looked. The caller holds the `flock`.
    func openActive() throws -> ActiveFile {
        let path = configuration.directory.activeFile
        if let cached = active {
            if let info = try FileIO.stat(path: path), UInt64(info.st_dev) == cached.device,
               UInt64(info.st_ino) == cached.inode {
                if Int(info.st_size) == cached.size { return cached }
                var refreshed = cached
                try readTail(&refreshed, size: Int(info.st_size))
                return refreshed
            }
            Glibc.close(cached.descriptor)
            active = nil
        }
        let descriptor = try FileIO.open(path, flags: O_RDWR | O_APPEND | O_CREAT, operation: "open")
        do {
            let info = try FileIO.stat(fd: descriptor, path: path)
            var file = ActiveFile(
                descriptor: descriptor, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: 0,
                lastSeq: 0, lastHash: AuditRecord.genesis, first: nil)
            if info.st_size == 0 {
                if let previous = try lastRotatedRecord() {
                    file.lastSeq = previous.seq
                    file.lastHash = previous.hash
                }
            } else {
                try readTail(&file, size: Int(info.st_size))
                file.first = try firstRecord(descriptor: descriptor, path: path)
            }
            active = file
            return file
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    /// Reads the last whole record of the active file into `file`. A partial last line (a writer
    /// died mid-record) is cut off and noted for the next `audit.gap` record.
    private func readTail(_ file: inout ActiveFile, size: Int) throws {
        let path = configuration.directory.activeFile
        var end = size
        let lastByte = try FileIO.read(file.descriptor, offset: size - 1, count: 1, path: path)
        if lastByte != [10] {
            end = try Self.lastNewline(descriptor: file.descriptor, before: size, path: path).map { $0 + 1 } ?? 0
            guard ftruncate(file.descriptor, off_t(end)) == 0 else {
                throw AuditError.system(.writeFailed, operation: "cut partial record", path: path, errno: errno,
                                        remedy: "check the file system")
            }
            var gap = pendingGap ?? AuditEvent.AuditGap(lostRecords: 0, since: .now())
            gap.discardedBytes = (gap.discardedBytes ?? 0) + (size - end)
            pendingGap = gap
            logger.warning("cut a partial audit record", metadata: ["bytes": "\(size - end)", "path": "\(path)"])
        }
        file.size = end
        guard end > 0 else {
            file.first = nil
            if let previous = try lastRotatedRecord() {
                file.lastSeq = previous.seq
                file.lastHash = previous.hash
            } else {
                file.lastSeq = 0
                file.lastHash = AuditRecord.genesis
            }
            return
        }
        let start = try Self.lastNewline(descriptor: file.descriptor, before: end - 1, path: path).map { $0 + 1 } ?? 0
        let line = try FileIO.read(file.descriptor, offset: start, count: end - 1 - start, path: path)
        file.lastSeq = try Self.sequence(of: line, path: path)
        file.lastHash = AuditRecord.hash(line: line)
    }

    /// The sequence number and time of the file's first record.
    private func firstRecord(descriptor: Int32, path: String) throws -> (seq: UInt64, time: AuditTime) {
        var line = [UInt8]()
        var offset = 0
        while true {
            let chunk = try FileIO.read(descriptor, offset: offset, count: 4096, path: path)
            if let newline = chunk.firstIndex(of: 10) {
                line += chunk[..<newline]
                break
            }
            guard !chunk.isEmpty else { break }
            line += chunk
            offset += chunk.count
        }
        if let head = AuditLineHead(line), let time = head.time { return (head.seq, time) }
        struct Head: Decodable {
            var seq: UInt64
            var time: AuditTime
        }
        guard let head = try? JSONDecoder().decode(Head.self, from: Data(line)) else {
            throw AuditError(.corrupt, operation: "read first record", path: path,
                             detail: "the first line is not an audit record",
                             remedy: "run `cordon audit verify` and move the damaged file aside")
        }
        return (head.seq, head.time)
    }

    /// The last record of the newest rotated file: where an empty active file chains from.
    private func lastRotatedRecord() throws -> (seq: UInt64, hash: String)? {
        guard let newest = try configuration.directory.chainFiles().last(where: { $0.range != nil }) else {
            return nil
        }
        let descriptor = try FileIO.open(newest.path, flags: O_RDONLY, operation: "open")
        defer { Glibc.close(descriptor) }
        let size = Int(try FileIO.stat(fd: descriptor, path: newest.path).st_size)
        guard size > 0 else { return nil }
        let start = try Self.lastNewline(descriptor: descriptor, before: size - 1, path: newest.path).map { $0 + 1 } ?? 0
        let line = try FileIO.read(descriptor, offset: start, count: size - 1 - start, path: newest.path)
        return (try Self.sequence(of: line, path: newest.path), AuditRecord.hash(line: line))
    }

    /// The `seq` of a line, or a corrupt-file error.
    static func sequence(of line: [UInt8], path: String) throws -> UInt64 {
        if let head = AuditLineHead(line) { return head.seq }
        struct Sequence: Decodable { var seq: UInt64 }
        guard let decoded = try? JSONDecoder().decode(Sequence.self, from: Data(line)) else {
            throw AuditError(.corrupt, operation: "read last record", path: path,
                             detail: "the last line is not an audit record",
                             remedy: "run `cordon audit verify` and move the damaged file aside")
        }
        return decoded.seq
    }

    /// The offset of the last newline before `offset`, searching backwards in chunks.
    /// Reads backwards in chunks that start at one page, which holds most records whole, and
    /// double up to 64 KiB.
    static func lastNewline(descriptor: Int32, before offset: Int, path: String) throws -> Int? {
        var end = offset
        var chunkSize = 4096
        while end > 0 {
            let start = max(0, end - chunkSize)
            let chunk = try FileIO.read(descriptor, offset: start, count: end - start, path: path)
            if let index = chunk.lastNewline { return start + index }
            end = start
            chunkSize = min(chunkSize * 2, 65_536)
        }
        return nil
    }

    /// Renames a full or old active file to its rotated name and starts a new one whose first
    /// record says where the chain came from. The caller holds the `flock`.
    func rotateIfDue(_ file: inout ActiveFile) throws -> AuditEvent? {
        guard let first = file.first, file.size > 0 else { return nil }
        let age = AuditTime.now().microseconds - first.time.microseconds
        guard file.size >= configuration.maxFileBytes || age >= configuration.maxFileAgeSeconds * 1_000_000 else {
            return nil
        }
        let directory = configuration.directory
        let name = AuditDirectory.rotatedName(first: first.seq, last: file.lastSeq)
        let target = directory.path + "/" + name
        guard try FileIO.stat(path: target) == nil else {
            throw AuditError(.corrupt, operation: "rotate", path: target, detail: "the rotated file exists already",
                             remedy: "run `cordon audit verify`; two chains share this directory")
        }
        try FileIO.sync(file.descriptor, path: directory.activeFile)
        guard rename(directory.activeFile, target) == 0 else {
            throw AuditError.system(.writeFailed, operation: "rotate", path: target, errno: errno,
                                    remedy: "check the audit directory")
        }
        let directoryDescriptor = try FileIO.open(directory.path, flags: O_RDONLY | O_DIRECTORY, operation: "open")
        _ = fsync(directoryDescriptor)
        Glibc.close(directoryDescriptor)
        Glibc.close(file.descriptor)
        active = nil
        let descriptor = try FileIO.open(directory.activeFile, flags: O_RDWR | O_APPEND | O_CREAT, operation: "open")
        let info = try FileIO.stat(fd: descriptor, path: directory.activeFile)
        file = ActiveFile(
            descriptor: descriptor, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: 0,
            lastSeq: file.lastSeq, lastHash: file.lastHash, first: nil)
        active = file
        logger.info("rotated the audit log", metadata: ["file": "\(name)"])
        return AuditEvent(session: configuration.session,
                          .logRotated(.init(previousFile: name, previousLastSeq: file.lastSeq)))
    }

    /// Appends a signed checkpoint of the active file's last record. The caller holds the `flock`.
    func signCheckpoint(_ file: inout ActiveFile) throws {
        guard let signer = configuration.signer, file.lastSeq > 0 else { return }
        let checkpoint = try signer.sign(seq: file.lastSeq, hash: file.lastHash, time: .now())
        let path = configuration.directory.checkpointFile
        let descriptor = try FileIO.open(path, flags: O_WRONLY | O_APPEND | O_CREAT, operation: "open")
        defer { Glibc.close(descriptor) }
        try FileIO.writeAll(descriptor, try checkpoint.line() + [10], path: path, operation: "checkpoint")
        try FileIO.sync(descriptor, path: path)
        uncheckpointedRecords = 0
    }
}
