/// Everything Cordon decides or suffers, as one typed record: a session starting or stopping, a
/// broker or proxy decision, a layer that failed, a supervisor error, or the audit log's own
/// bookkeeping (a gap, a rotation). Every event names its session.
///
/// On disk an event is one flat JSON object: `time`, `session`, `kind`, then the fields of the
/// body, so that `jq`, SIEM parsers and `cordon audit query` all see the same shape.
public struct AuditEvent: Sendable, Equatable, Codable {
    /// When it happened.
    public var time: AuditTime
    /// The session it belongs to (the supervisor's session identifier).
    public var session: String
    /// What happened.
    public var body: Body

    /// What happened, one case per kind of record.
    public enum Body: Sendable, Equatable {
        /// A sandboxed agent was started.
        case sessionStart(SessionStart)
        /// A sandboxed agent ended.
        case sessionStop(SessionStop)
        /// The broker or the egress proxy decided a request.
        case decision(Decision)
        /// A confinement layer could not be applied or failed at run time.
        case layerFailure(LayerFailure)
        /// The supervisor hit an error that is not a decision.
        case supervisorError(SupervisorError)
        /// Records that could not be written earlier, or a partial record that was discarded.
        case auditGap(AuditGap)
        /// The previous active file was rotated; this file continues its chain.
        case logRotated(LogRotated)
    }

    /// An event at `time` (now by default) for `session`.
    public init(time: AuditTime = .now(), session: String, _ body: Body) {
        self.time = time
        self.session = session
        self.body = body
    }

    /// The kind of the body.
    public var kind: AuditEventKind {
        switch body {
        case .sessionStart: .sessionStart
        case .sessionStop: .sessionStop
        case .decision: .decision
        case .layerFailure: .layerFailure
        case .supervisorError: .supervisorError
        case .auditGap: .auditGap
        case .logRotated: .logRotated
        }
    }

    /// The decision, when this event is one.
    public var decision: Decision? {
        if case .decision(let decision) = body { return decision }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case time, session, kind
    }

    /// Decodes the flat object written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(AuditTime.self, forKey: .time)
        session = try container.decode(String.self, forKey: .session)
        switch try container.decode(AuditEventKind.self, forKey: .kind) {
        case .sessionStart: body = .sessionStart(try SessionStart(from: decoder))
        case .sessionStop: body = .sessionStop(try SessionStop(from: decoder))
        case .decision: body = .decision(try Decision(from: decoder))
        case .layerFailure: body = .layerFailure(try LayerFailure(from: decoder))
        case .supervisorError: body = .supervisorError(try SupervisorError(from: decoder))
        case .auditGap: body = .auditGap(try AuditGap(from: decoder))
        case .logRotated: body = .logRotated(try LogRotated(from: decoder))
        }
    }

    /// Encodes the common fields and the body's fields into one object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(session, forKey: .session)
        try container.encode(kind, forKey: .kind)
        switch body {
        case .sessionStart(let payload): try payload.encode(to: encoder)
        case .sessionStop(let payload): try payload.encode(to: encoder)
        case .decision(let payload): try payload.encode(to: encoder)
        case .layerFailure(let payload): try payload.encode(to: encoder)
        case .supervisorError(let payload): try payload.encode(to: encoder)
        case .auditGap(let payload): try payload.encode(to: encoder)
        case .logRotated(let payload): try payload.encode(to: encoder)
        }
    }
}

/// The `kind` field of a record.
public enum AuditEventKind: String, Sendable, Codable, CaseIterable {
    /// `session.start`
    case sessionStart = "session.start"
    /// `session.stop`
    case sessionStop = "session.stop"
    /// `decision`
    case decision
    /// `layer.failure`
    case layerFailure = "layer.failure"
    /// `supervisor.error`
    case supervisorError = "supervisor.error"
    /// `audit.gap`
    case auditGap = "audit.gap"
    /// `audit.rotated`
    case logRotated = "audit.rotated"
}
