/// What `AuditVerifier` found: how far the chain holds, the first bad record if any, a partial
/// last line, and what the signed checkpoints cover.
public struct AuditVerification: Sendable, Equatable, Codable {
    /// How the chain is broken.
    public enum FailureKind: String, Sendable, Codable {
        /// A record's content changed after the next record was written.
        case edited
        /// Records are missing (a gap in the sequence numbers).
        case dropped
        /// Records are out of order.
        case reordered
        /// A record appears twice.
        case duplicated
        /// A record that the writer never wrote sits in the chain.
        case inserted
        /// A line is not an audit record.
        case malformed
        /// The log ends before a signed checkpoint, or a rotated file ends mid-record.
        case truncated
        /// A directory's chain does not start at the first record ever written.
        case missingStart = "missing-start"
        /// A record's hash differs from the one a signed checkpoint states.
        case checkpointMismatch = "checkpoint-mismatch"
        /// A checkpoint's signature does not verify with the public key, or none is signed by it.
        case badSignature = "bad-signature"
    }

    /// The first bad record.
    public struct Failure: Sendable, Equatable, Codable {
        /// What is wrong.
        public var kind: FailureKind
        /// The file holding the bad record.
        public var file: String
        /// Its line number, from 1.
        public var line: Int
        /// Its sequence number as written, when it could be read.
        public var seq: UInt64?
        /// The explanation, in words.
        public var message: String
    }

    /// An unfinished last line: a writer died mid-record.
    public struct PartialTail: Sendable, Equatable, Codable {
        /// The file.
        public var file: String
        /// The unfinished line's length in bytes.
        public var bytes: Int
        /// The number of whole lines before it.
        public var wholeLines: Int
    }

    /// The files read, in chain order.
    public var files: [String] = []
    /// Whole records that verified.
    public var records = 0
    /// The first verified record's sequence number.
    public var firstSeq: UInt64?
    /// The last verified record's sequence number.
    public var lastSeq: UInt64?
    /// The last verified record's hash.
    public var lastHash: String?
    /// Whether the chain starts at the first record ever written (`seq` 1 after the genesis hash).
    public var anchoredAtGenesis = false
    /// The first bad record, if any.
    public var failure: Failure?
    /// A partial last line, if any; the records before it verify.
    public var partialTail: PartialTail?
    /// Checkpoints whose signature verified with the public key and whose hash matched.
    public var checkpointsVerified = 0
    /// The highest sequence number covered by a verified checkpoint.
    public var lastCheckpointSeq: UInt64?
    /// Things worth knowing that are not failures.
    public var notes: [String] = []

    /// Whether the chain holds.
    public var ok: Bool { failure == nil }
}
