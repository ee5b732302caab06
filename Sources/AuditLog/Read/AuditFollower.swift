#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows an audit directory from a sequence number on: reads the records written after it,
/// across rotations, and waits for nothing. Sink forwarders and `cordon audit tail -f` use it.
/// Not thread-safe: one follower per reader.
public final class AuditFollower {
    /// The directory followed.
    public let directory: AuditDirectory
    /// The last sequence number handed out.
    public private(set) var position: UInt64
    private var descriptor: Int32 = -1
    private var inode: UInt64 = 0
    private var isActiveFile = false
    /// Bytes read but not yet consumed as whole lines.
    private var pending: [UInt8] = []
    private var readOffset = 0
    /// The active file's size when the follower last started it over after a bad line.
    private var resyncedAtSize: Int?

    /// A follower that hands out records with a sequence number above `after`.
    public init(directory: AuditDirectory, after: UInt64) {
        self.directory = directory
        self.position = after
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Up to `limit` records after `position`, with the exact line of each; empty when nothing
    /// new has been written.
    public func next(limit: Int) throws -> [(record: AuditRecord, line: [UInt8])] {
        var out = [(record: AuditRecord, line: [UInt8])]()
        while out.count < limit {
            if descriptor < 0, try !openNextFile() { return out }
            try consumeLines(into: &out, limit: limit)
            if out.count >= limit { return out }
            let chunk = try FileIO.read(descriptor, offset: readOffset, count: 1 << 16, path: directory.path)
            if !chunk.isEmpty {
                readOffset += chunk.count
                pending += chunk
                continue
            }
            if isActiveFile {
                let current = try FileIO.stat(path: directory.activeFile)
                if let current, UInt64(current.st_ino) == inode {
                    if Int(current.st_size) < readOffset {
                        // A writer cut a partial record: re-read from the last whole line.
                        readOffset -= pending.count
                        pending = []
                    }
                    return out
                }
                // Rotated away: drain what was written just before the rename, then move on.
                let rest = try FileIO.read(descriptor, offset: readOffset, count: 1 << 20, path: directory.path)
                if !rest.isEmpty {
                    readOffset += rest.count
                    pending += rest
                    continue
                }
            }
            close(descriptor)
            descriptor = -1
        }
        return out
    }

    private func consumeLines(into out: inout [(record: AuditRecord, line: [UInt8])], limit: Int) throws {
        var start = 0
        while out.count < limit, let newline = pending[start...].firstIndex(of: 10) {
            let line = Array(pending[start..<newline])
            start = newline + 1
            let record: AuditRecord
            do {
                record = try AuditRecord.decode(line: line)
            } catch {
                // A writer that found a partial record cuts it and appends after the cut, so
                // bytes read before the cut may not join the ones after it. Read the file again
                // from the start once; records already handed out are skipped by `position`.
                let size = Int(try FileIO.stat(fd: descriptor, path: directory.activeFile).st_size)
                guard isActiveFile, resyncedAtSize != size else {
                    throw AuditError(.corrupt, operation: "follow", path: directory.path,
                                     detail: "a line is not an audit record", remedy: "run `cordon audit verify`")
                }
                resyncedAtSize = size
                pending = []
                readOffset = 0
                return
            }
            if record.seq > position {
                position = record.seq
                out.append((record, line))
            }
        }
        pending.removeFirst(start)
    }

    /// Opens the file that holds the record after `position`: the first rotated file that
    /// ends past it, or the active file. False when there is none yet.
    private func openNextFile() throws -> Bool {
        let files = try directory.chainFiles()
        guard let file = files.first(where: { $0.range.map { $0.upperBound > position } ?? true }) else {
            return false
        }
        descriptor = try FileIO.open(file.path, flags: O_RDONLY, operation: "follow")
        inode = UInt64(try FileIO.stat(fd: descriptor, path: file.path).st_ino)
        isActiveFile = file.range == nil
        pending = []
        readOffset = 0
        return true
    }
}
