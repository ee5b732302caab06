#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a failed write does.
public enum AuditMode: String, Sendable, CaseIterable {
    /// A failed write throws; the supervisor stops the agent (`--audit required`).
    case required
    /// A failed write is reported on stderr and recorded as an `audit.gap` in the next record
    /// that can be written; enforcement goes on (the default).
    case bestEffort = "best-effort"
}

/// When the writer asks the kernel to put records on stable storage. Records are always handed
/// to the kernel before `append` returns, so a crash of Cordon loses nothing; `fsync` is about
/// a crash of the machine.
public enum AuditSyncPolicy: Sendable, Equatable {
    /// Never, except on `sync()` and `close()`.
    case never
    /// After every append.
    case everyAppend
    /// After at least this many records since the last `fsync`.
    case everyRecords(Int)
}

/// How an `AuditWriter` writes.
public struct AuditWriterConfiguration: Sendable {
    /// Where the log lives.
    public var directory: AuditDirectory
    /// What a failed write does.
    public var mode: AuditMode
    /// Rotate the active file once it holds this many bytes.
    public var maxFileBytes: Int
    /// Rotate the active file once its first record is this many seconds old.
    public var maxFileAgeSeconds: Int64
    /// When to `fsync`.
    public var sync: AuditSyncPolicy
    /// Whether `close()` puts the records on stable storage. A short-lived writer (one
    /// session's start and stop) may leave them to the kernel's writeback instead, as `sync`
    /// does between syncs: an `fsync` costs milliseconds on a real disk.
    public var syncOnClose: Bool = true
    /// Signs checkpoints when set.
    public var signer: AuditCheckpointSigner?
    /// Sign a checkpoint after at least this many records (and on `close()`).
    public var checkpointInterval: Int
    /// The session named in the writer's own records (gaps, rotations).
    public var session: String
    /// Where a best-effort writer reports a gap, loudly. Standard error by default.
    public var reportGap: @Sendable (String) -> Void

    /// A configuration with defaults: best effort, 64 MiB or one day per file, `fsync` every
    /// 1,000 records, no checkpoints.
    public init(
        directory: AuditDirectory = .defaultDirectory(), mode: AuditMode = .bestEffort,
        maxFileBytes: Int = 64 << 20, maxFileAgeSeconds: Int64 = 86_400,
        sync: AuditSyncPolicy = .everyRecords(1000), signer: AuditCheckpointSigner? = nil,
        checkpointInterval: Int = 1000, session: String = "cordon",
        reportGap: @escaping @Sendable (String) -> Void = AuditWriterConfiguration.standardError
    ) {
        self.directory = directory
        self.mode = mode
        self.maxFileBytes = maxFileBytes
        self.maxFileAgeSeconds = maxFileAgeSeconds
        self.sync = sync
        self.signer = signer
        self.checkpointInterval = checkpointInterval
        self.session = session
        self.reportGap = reportGap
    }

    /// Writes a line to standard error.
    public static let standardError: @Sendable (String) -> Void = { message in
        let bytes = Array((message + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
