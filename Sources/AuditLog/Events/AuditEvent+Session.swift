extension AuditEvent {
    /// A sandboxed agent was started: what runs, what it may do, and what actually confines it.
    /// Values are plain strings so that AuditLog depends on no other Cordon module.
    public struct SessionStart: Sendable, Equatable, Codable {
        /// The agent's argument vector.
        public var command: [String]
        /// The resolved executable.
        public var executable: String?
        /// The agent's process id as the supervisor sees it.
        public var pid: Int32?
        /// The user the session runs for (name or uid).
        public var user: String?
        /// The agent's working directory.
        public var workingDirectory: String?
        /// The effective capability set, e.g. `read-file:/home/me/notes.md`.
        public var capabilities: [String]
        /// The enforcement report, one entry per layer.
        public var enforcement: [LayerStatus]
        /// The policy bundle that decides the session.
        public var policy: PolicyBundle?
        /// `required` or `best-effort`: what a failed audit write does to this session.
        public var auditMode: String?

        /// A session start record.
        public init(
            command: [String], executable: String? = nil, pid: Int32? = nil, user: String? = nil,
            workingDirectory: String? = nil, capabilities: [String], enforcement: [LayerStatus],
            policy: PolicyBundle? = nil, auditMode: String? = nil
        ) {
            self.command = command
            self.executable = executable
            self.pid = pid
            self.user = user
            self.workingDirectory = workingDirectory
            self.capabilities = capabilities
            self.enforcement = enforcement
            self.policy = policy
            self.auditMode = auditMode
        }

        private enum CodingKeys: String, CodingKey {
            case command, executable, pid, user, capabilities, enforcement, policy
            case workingDirectory = "working_directory"
            case auditMode = "audit_mode"
        }
    }

    /// One line of the enforcement report: a layer, whether it is on, and at what level or why not.
    public struct LayerStatus: Sendable, Equatable, Codable {
        /// Stable layer identifier, e.g. `landlock`, `seccomp`, `namespaces.user`.
        public var layer: String
        /// `enforced`, `partial` or `off`.
        public var status: String
        /// The level applied, or why the layer is off.
        public var detail: String

        /// A report line.
        public init(layer: String, status: String, detail: String) {
            self.layer = layer
            self.status = status
            self.detail = detail
        }
    }

    /// The policy bundle a session is decided by.
    public struct PolicyBundle: Sendable, Equatable, Codable {
        /// The bundle's name, the key of OPA's `bundles` map.
        public var name: String
        /// The bundle's revision as the bundle states it.
        public var revision: String?
        /// SHA-256 of the bundle's contents.
        public var hash: String?

        /// A bundle reference.
        public init(name: String, revision: String? = nil, hash: String? = nil) {
            self.name = name
            self.revision = revision
            self.hash = hash
        }
    }

    /// A sandboxed agent ended.
    public struct SessionStop: Sendable, Equatable, Codable {
        /// The exit status when the agent exited.
        public var exitCode: Int32?
        /// The signal that ended the agent.
        public var signal: Int32?
        /// How long the session ran, in milliseconds.
        public var durationMs: Int64?
        /// Why the session ended, e.g. `agent exited`, `audit log unwritable`.
        public var reason: String?

        /// A session stop record.
        public init(exitCode: Int32? = nil, signal: Int32? = nil, durationMs: Int64? = nil, reason: String? = nil) {
            self.exitCode = exitCode
            self.signal = signal
            self.durationMs = durationMs
            self.reason = reason
        }

        private enum CodingKeys: String, CodingKey {
            case signal, reason
            case exitCode = "exit_code"
            case durationMs = "duration_ms"
        }
    }

    /// A confinement layer could not be applied, or failed while the session ran.
    public struct LayerFailure: Sendable, Equatable, Codable {
        /// The layer identifier, as in the enforcement report.
        public var layer: String
        /// What failed and why.
        public var detail: String
        /// Whether the session was stopped because of it.
        public var fatal: Bool

        /// A layer failure record.
        public init(layer: String, detail: String, fatal: Bool) {
            self.layer = layer
            self.detail = detail
            self.fatal = fatal
        }
    }

    /// The supervisor hit an error that is not itself a decision.
    public struct SupervisorError: Sendable, Equatable, Codable {
        /// The operation that failed, e.g. `pty relay`, `control socket`.
        public var operation: String
        /// The error message.
        public var message: String

        /// A supervisor error record.
        public init(operation: String, message: String) {
            self.operation = operation
            self.message = message
        }
    }

    /// Records are missing from the log: earlier writes failed (disk full, I/O error) while the
    /// log ran in best-effort mode, or a writer died mid-record and its partial line was cut off.
    public struct AuditGap: Sendable, Equatable, Codable {
        /// How many events could not be written.
        public var lostRecords: Int
        /// When the first of them failed.
        public var since: AuditTime?
        /// The error of the first failed write.
        public var error: String?
        /// Bytes of an unfinished record that a later writer cut from the end of the file.
        public var discardedBytes: Int?

        /// A gap record.
        public init(lostRecords: Int, since: AuditTime? = nil, error: String? = nil, discardedBytes: Int? = nil) {
            self.lostRecords = lostRecords
            self.since = since
            self.error = error
            self.discardedBytes = discardedBytes
        }

        private enum CodingKeys: String, CodingKey {
            case since, error
            case lostRecords = "lost_records"
            case discardedBytes = "discarded_bytes"
        }
    }

    /// The first record of a file after rotation: where the chain came from.
    public struct LogRotated: Sendable, Equatable, Codable {
        /// The file name the previous active file was rotated to.
        public var previousFile: String
        /// The last sequence number in that file.
        public var previousLastSeq: UInt64

        /// A rotation record.
        public init(previousFile: String, previousLastSeq: UInt64) {
            self.previousFile = previousFile
            self.previousLastSeq = previousLastSeq
        }

        private enum CodingKeys: String, CodingKey {
            case previousFile = "previous_file"
            case previousLastSeq = "previous_last_seq"
        }
    }
}
