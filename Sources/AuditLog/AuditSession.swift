import Logging

/// The audit log as one session sees it: the supervisor opens one when it starts an agent,
/// records every decision through it, and closes it when the agent ends.
///
/// ```swift
/// let audit = try AuditSession.open(id: sessionID, configuration: .init(mode: .required), logger: logger)
/// try audit.record(.sessionStart(.init(command: argv, capabilities: caps, enforcement: report)))
/// try audit.record(.decision(.init(source: .broker, decision: .deny, path: "/etc/shadow", reason: "secret")))
/// try audit.close(.init(exitCode: 0, reason: "agent exited"))
/// ```
///
/// In `required` mode `record` throws when the record could not be written, and the supervisor
/// must stop the agent; in best-effort mode it returns nil, says so on stderr, and the next
/// record written carries the gap.
public final class AuditSession: Sendable {
    /// The session's identifier, the `session` field of every record it writes.
    public let id: String
    /// The writer, shared with forwarders that want `onAppend`.
    public let writer: AuditWriter

    /// Opens the log for session `id`; `configuration.session` is set to `id`.
    public static func open(id: String, configuration: AuditWriterConfiguration, logger: Logger) throws -> AuditSession {
        var configuration = configuration
        configuration.session = id
        return AuditSession(id: id, writer: try AuditWriter(configuration: configuration, logger: logger))
    }

    /// A session over an existing writer.
    public init(id: String, writer: AuditWriter) {
        self.id = id
        self.writer = writer
    }

    /// Appends an event of this session, timed now. Returns its sequence number, or nil when a
    /// best-effort writer could not write it.
    @discardableResult
    public func record(_ body: AuditEvent.Body) throws -> UInt64? {
        try writer.append(AuditEvent(session: id, body))
    }

    /// Records the session's end (when `stop` is given), syncs, signs a final checkpoint if
    /// configured, and closes the writer.
    public func close(_ stop: AuditEvent.SessionStop? = nil) throws {
        if let stop { try record(.sessionStop(stop)) }
        try writer.close()
    }
}
