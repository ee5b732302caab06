#if canImport(Glibc)
import Glibc
#endif
import AuditLog
import Logging
import SandboxPolicy

/// How a session is recorded: `cordon run --audit`, `--audit-dir`, `--audit-sign-key`.
public struct SessionAuditOptions: Sendable, Equatable {
    /// What a failed write does: `required` keeps the program from starting.
    public var mode: AuditMode
    /// The audit directory; `nil` for `$XDG_STATE_HOME/cordon/audit`.
    public var directory: String?
    /// An Ed25519 private key file (`cordon audit keygen`) that signs checkpoints.
    public var signingKey: String?

    /// Options; the default is a best-effort log in the default directory, unsigned.
    public init(mode: AuditMode = .bestEffort, directory: String? = nil, signingKey: String? = nil) {
        self.mode = mode
        self.directory = directory
        self.signingKey = signingKey
    }
}

/// The audit log of one session: its start (what runs, what it may do, what confines it)
/// before the program starts, how it ended after, and why it never started when it did not.
///
/// In `required` mode a record that cannot be written is a `SessionError` and the program is
/// not started; in best-effort mode the writer says so on standard error and the session goes
/// on, and a log that cannot even be opened leaves the session unrecorded, said just as loudly.
public final class SessionAudit: Sendable {
    /// The session's identifier, the `session` field of its records.
    public let sessionID: String
    /// What a failed write does.
    public let mode: AuditMode
    /// The audit directory as an absolute path (its real path once it exists).
    public let directory: String
    /// What the sandbox must not see: the audit directory and the signing key.
    public let protectedPaths: [String]
    /// `nil` when a best-effort log could not be opened.
    let log: AuditSession?
    /// For the parts of the session that log (the egress proxy).
    let logger: Logger

    private init(sessionID: String, mode: AuditMode, directory: String, protectedPaths: [String], log: AuditSession?, logger: Logger) {
        self.logger = logger
        self.sessionID = sessionID
        self.mode = mode
        self.directory = directory
        self.protectedPaths = protectedPaths
        self.log = log
    }

    /// Opens the log for a new session, creating the directory (0700) when needed.
    ///
    /// A signing key that cannot be read is refused in either mode: the person asked for
    /// signed checkpoints, and silently writing none would be a weaker log than asked for.
    public static func open(
        _ options: SessionAuditOptions, environment: [String: String], logger: Logger, sessionID: String = newSessionID()
    ) throws(SessionError) -> SessionAudit {
        let currentDirectory = try Session.workingDirectory()
        let requested = options.directory ?? AuditDirectory.defaultDirectory(environment: environment).path
        let directory = absolute(requested, in: currentDirectory)
        var protectedPaths: [String] = []
        var signer: AuditCheckpointSigner?
        if let key = options.signingKey {
            let path = absolute(key, in: currentDirectory)
            do {
                signer = AuditCheckpointSigner(privateKey: try AuditKeys.privateKey(path: path))
            } catch {
                throw .system(operation: "read the audit signing key", path: path, reason: "\(error)",
                              remedy: "create one with `cordon audit keygen` or leave out --audit-sign-key")
            }
            protectedPaths.append(realPath(path) ?? path)
        }
        var configuration = AuditWriterConfiguration(
            directory: AuditDirectory(path: directory), mode: options.mode, signer: signer)
        // The session's records reach the kernel before the program starts and after it ended
        // (a crash of Cordon loses none). Only a required log also waits for the disk at the
        // end; best effort leaves that to writeback rather than add an fsync to every run.
        configuration.syncOnClose = options.mode == .required
        let log: AuditSession?
        do {
            log = try AuditSession.open(id: sessionID, configuration: configuration, logger: logger)
        } catch {
            guard options.mode == .bestEffort else {
                throw .system(operation: "open the audit log", path: directory, reason: "\(error)",
                              remedy: "pass a writable --audit-dir, or --audit best-effort to run unrecorded")
            }
            AuditWriterConfiguration.standardError(
                "cordon: AUDIT OFF: this session is not recorded: cannot open the audit log in \(directory): \(error)")
            log = nil
        }
        // A directory that could not be made holds nothing yet; hide the path anyway when it
        // can be named without `..`, so the sandbox cannot make it first.
        let resolved = realPath(directory) ?? lexicallyNormal(directory)
        if let resolved { protectedPaths.insert(resolved, at: 0) }
        return SessionAudit(
            sessionID: sessionID, mode: options.mode, directory: resolved ?? directory, protectedPaths: protectedPaths, log: log, logger: logger)
    }

    /// Records the start of `session`; in required mode a failure closes the log and throws.
    public func recordStart(_ session: PreparedSession) throws(SessionError) {
        let profile = session.profile
        let start = AuditEvent.SessionStart(
            command: profile.argv, user: profile.user.name, workingDirectory: profile.workingDirectory,
            capabilities: profile.capabilities.map(\.description),
            enforcement: session.output.report.entries.map {
                AuditEvent.LayerStatus(layer: $0.layer, status: $0.status.rawValue, detail: $0.detail)
            },
            policy: Self.builtinPolicy, auditMode: mode.rawValue)
        try write(.sessionStart(start), operation: "write the session-start audit record")
    }

    /// Records how the program ended and closes the log.
    public func recordStop(_ exit: ProgramExit, duration: Duration) throws(SessionError) {
        var stop = AuditEvent.SessionStop(durationMs: Self.milliseconds(duration))
        switch exit {
        case .exited(let code):
            stop.exitCode = code
            stop.reason = "program exited"
        case .signaled(let signal):
            stop.signal = signal
            stop.reason = "program killed by signal \(signal)"
        }
        try write(.sessionStop(stop), operation: "write the session-stop audit record")
        try close()
    }

    /// Records a decision of the broker or the proxy. Returns false when a required log could
    /// not take it: the caller must then stop the program.
    func recordDecision(_ decision: AuditEvent.Decision) -> Bool {
        do {
            try log?.record(.decision(decision))
            return true
        } catch {
            AuditWriterConfiguration.standardError("cordon: stopping the program: \(error)")
            return false
        }
    }

    /// Records why the session did not start, or why it failed, and closes the log. The
    /// session's own error is what the caller reports; a record that cannot be written here
    /// is reported by the writer.
    public func recordFailure(_ error: SessionError) {
        let body: AuditEvent.Body
        switch error {
        case .launch(let message, _):
            body = .layerFailure(.init(layer: "launch", detail: message, fatal: true))
        case .policy(let cause):
            body = .supervisorError(.init(operation: "compile the session", message: "\(cause)"))
        case .system(let operation, let path, let reason, _):
            body = .supervisorError(.init(operation: operation, message: path.isEmpty ? reason : "\(path): \(reason)"))
        }
        _ = try? log?.record(body)
        try? close()
    }

    /// Closes the log (syncing it and signing a last checkpoint when configured).
    public func close() throws(SessionError) {
        do {
            try log?.close()
        } catch {
            guard mode == .bestEffort else {
                throw .system(operation: "close the audit log", path: directory, reason: "\(error)",
                              remedy: "check the audit directory's file system (full, read-only?)")
            }
        }
    }

    private func write(_ body: AuditEvent.Body, operation: String) throws(SessionError) {
        do {
            try log?.record(body)
        } catch {
            try? log?.close()
            throw .system(operation: operation, path: directory, reason: "\(error)",
                          remedy: "free space or pass a writable --audit-dir, or --audit best-effort to run with gaps")
        }
    }

    /// Until policy bundles exist every session is decided by the built-in defaults and its
    /// own capability options.
    static let builtinPolicy = AuditEvent.PolicyBundle(name: "builtin", revision: "-", hash: "-")

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// 64 random bits in hex: unique enough among one person's sessions, short enough to type.
    public static func newSessionID() -> String {
        let text = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : (directory == "/" ? "/" : directory + "/") + path
    }

    static func lexicallyNormal(_ path: String) -> String? {
        var normal = ""
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { return nil }
            normal += "/" + String(part)
        }
        return normal.isEmpty ? "/" : normal
    }

    static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
