#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging

/// Appends events to the per-user audit log. Any number of writers, in any number of processes,
/// may append to the same directory: each append takes the directory's `flock`, re-reads the
/// last record of the active file (another process may have written since), rotates if due,
/// and writes its records with one `write` after the last record's hash.
///
/// A writer is safe to share between threads.
public final class AuditWriter: @unchecked Sendable {
    /// How this writer writes.
    public let configuration: AuditWriterConfiguration
    let logger: Logger
    let encoder = AuditLineEncoder()
    /// Serialises this process's threads; the `flock` serialises processes.
    let mutex = NSLock()
    var lockDescriptor: Int32
    var active: ActiveFile?
    var pendingGap: AuditEvent.AuditGap?
    var unsyncedRecords = 0
    var uncheckpointedRecords = 0
    var observers: [@Sendable () -> Void] = []
    var isClosed = false

    /// The active file as this writer last saw it.
    struct ActiveFile {
        var descriptor: Int32
        var device: UInt64
        var inode: UInt64
        var size: Int
        var lastSeq: UInt64
        var lastHash: String
        /// The first record's sequence number and time, once known (nil for an empty file).
        var first: (seq: UInt64, time: AuditTime)?
    }

    /// Opens the log in `configuration.directory`, creating the directory (mode 0700) if needed.
    public init(configuration: AuditWriterConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try configuration.directory.create()
        lockDescriptor = try FileIO.open(configuration.directory.lockFile, flags: O_RDWR | O_CREAT, operation: "open lock")
    }

    deinit {
        if let active { Glibc.close(active.descriptor) }
        if lockDescriptor >= 0 { Glibc.close(lockDescriptor) }
    }

    /// Calls `handler` after every append that wrote records (a sink forwarder's wake-up). The
    /// handler runs on the appending thread and must not block.
    public func onAppend(_ handler: @escaping @Sendable () -> Void) {
        mutex.withLock { observers.append(handler) }
    }

    /// Appends one event. Returns its sequence number, or nil when a best-effort writer could
    /// not write it (the gap is reported and recorded later).
    @discardableResult
    public func append(_ event: AuditEvent) throws -> UInt64? {
        try append(contentsOf: [event])
    }

    /// Appends events in order, contiguously, under one lock. Returns the last sequence number,
    /// or nil when a best-effort writer could not write them.
    @discardableResult
    public func append(contentsOf events: [AuditEvent]) throws -> UInt64? {
        guard !events.isEmpty else { return nil }
        let result: UInt64? = try mutex.withLock {
            guard !isClosed else {
                throw AuditError(.writeFailed, operation: "append", path: configuration.directory.path,
                                 detail: "the writer is closed", remedy: "open a new AuditWriter")
            }
            do {
                return try appendLocked(events)
            } catch let error as AuditError {
                return try failed(error, lost: events.count)
            }
        }
        if result != nil {
            for observer in mutex.withLock({ observers }) { observer() }
        }
        return result
    }

    /// Puts everything written so far on stable storage.
    public func sync() throws {
        try mutex.withLock {
            guard let active else { return }
            try FileIO.sync(active.descriptor, path: configuration.directory.activeFile)
            unsyncedRecords = 0
        }
    }

    /// Signs a checkpoint of the last record now (needs a signer).
    public func checkpoint() throws {
        try mutex.withLock {
            try FileIO.lock(lockDescriptor, path: configuration.directory.lockFile)
            defer { FileIO.unlock(lockDescriptor) }
            var file = try openActive()
            try signCheckpoint(&file)
            active = file
        }
    }

    /// Syncs (unless `configuration.syncOnClose` is off), signs a final checkpoint if a signer
    /// is set, and closes the files.
    public func close() throws {
        try mutex.withLock {
            guard !isClosed else { return }
            isClosed = true
            defer {
                if let active { Glibc.close(active.descriptor) }
                active = nil
                Glibc.close(lockDescriptor)
                lockDescriptor = -1
            }
            guard active != nil else { return }
            try FileIO.lock(lockDescriptor, path: configuration.directory.lockFile)
            defer { FileIO.unlock(lockDescriptor) }
            var file = try openActive()
            if configuration.signer != nil, uncheckpointedRecords > 0 { try signCheckpoint(&file) }
            if configuration.syncOnClose { try FileIO.sync(file.descriptor, path: configuration.directory.activeFile) }
            active = file
        }
    }

    /// The append itself; the caller holds `mutex`.
    private func appendLocked(_ events: [AuditEvent]) throws -> UInt64 {
        let directory = configuration.directory
        try FileIO.lock(lockDescriptor, path: directory.lockFile)
        defer { FileIO.unlock(lockDescriptor) }
        var file = try openActive()
        var batch = [AuditEvent]()
        if let rotated = try rotateIfDue(&file) { batch.append(rotated) }
        if let gap = pendingGap { batch.append(AuditEvent(session: configuration.session, .auditGap(gap))) }
        batch += events
        var bytes = [UInt8]()
        var seq = file.lastSeq
        var hash = file.lastHash
        for event in batch {
            let line = encoder.line(seq: seq + 1, prev: hash, event: event)
            hash = AuditRecord.hash(line: line)
            seq += 1
            bytes += line
            bytes.append(10)
        }
        do {
            try FileIO.writeAll(file.descriptor, bytes, path: directory.activeFile, operation: "append")
        } catch {
            // Leave no partial record behind: the chain must end on a whole line.
            _ = ftruncate(file.descriptor, off_t(file.size))
            active = file
            throw error
        }
        if file.first == nil { file.first = (file.lastSeq + 1, batch[0].time) }
        file.size += bytes.count
        file.lastSeq = seq
        file.lastHash = hash
        active = file
        pendingGap = nil
        unsyncedRecords += batch.count
        uncheckpointedRecords += batch.count
        try syncIfDue(file)
        if configuration.signer != nil, uncheckpointedRecords >= configuration.checkpointInterval {
            try signCheckpoint(&file)
            active = file
        }
        return seq
    }

    private func syncIfDue(_ file: ActiveFile) throws {
        let due: Bool
        switch configuration.sync {
        case .never: due = false
        case .everyAppend: due = true
        case .everyRecords(let count): due = unsyncedRecords >= count
        }
        if due {
            try FileIO.sync(file.descriptor, path: configuration.directory.activeFile)
            unsyncedRecords = 0
        }
    }

    /// A write failed: throw in required mode, otherwise remember the gap and say so loudly.
    private func failed(_ error: AuditError, lost: Int) throws -> UInt64? {
        var gap = pendingGap ?? AuditEvent.AuditGap(lostRecords: 0, since: .now(), error: error.description)
        gap.lostRecords += lost
        pendingGap = gap
        logger.error("audit write failed", metadata: ["error": "\(error)", "lost": "\(gap.lostRecords)"])
        if configuration.mode == .required {
            throw AuditError(.writeFailed, operation: error.operation, path: error.path, errno: error.errno,
                             detail: error.detail, remedy: "the session must stop: " + error.remedy)
        }
        configuration.reportGap(
            "cordon: AUDIT GAP: \(gap.lostRecords) record(s) not written since \(gap.since.map { "\($0)" } ?? "now"): "
                + "\(error). Enforcement continues; the gap will be recorded in the next record written.")
        return nil
    }
}
