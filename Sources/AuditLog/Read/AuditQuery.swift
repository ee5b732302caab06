/// A filter over records, as `cordon audit query` and `tail` take it. Every condition that is
/// set must hold.
public struct AuditQuery: Sendable, Equatable {
    /// Records at or after this time.
    public var since: AuditTime?
    /// Records of this session.
    public var session: String?
    /// Records of this kind.
    public var kind: AuditEventKind?
    /// Decisions with this outcome.
    public var decision: AuditEvent.DecisionOutcome?
    /// Decisions whose path starts with this prefix, as a path (`/home/u` matches `/home/u/x`
    /// and `/home/u`, not `/home/user`).
    public var pathPrefix: String?
    /// Decisions about this host (case-insensitive).
    public var host: String?

    /// A filter; nil conditions are not checked.
    public init(
        since: AuditTime? = nil, session: String? = nil, kind: AuditEventKind? = nil,
        decision: AuditEvent.DecisionOutcome? = nil, pathPrefix: String? = nil, host: String? = nil
    ) {
        self.since = since
        self.session = session
        self.kind = kind
        self.decision = decision
        self.pathPrefix = pathPrefix
        self.host = host
    }

    /// Whether `record` passes the filter.
    public func matches(_ record: AuditRecord) -> Bool {
        let event = record.event
        if let since, event.time < since { return false }
        if let session, event.session != session { return false }
        if let kind, event.kind != kind { return false }
        guard decision != nil || pathPrefix != nil || host != nil else { return true }
        guard let made = event.decision else { return false }
        if let decision, made.decision != decision { return false }
        if let pathPrefix {
            guard let path = made.path else { return false }
            let prefix = pathPrefix.count > 1 && pathPrefix.hasSuffix("/") ? String(pathPrefix.dropLast()) : pathPrefix
            guard path == prefix || path.hasPrefix(prefix == "/" ? "/" : prefix + "/") else { return false }
        }
        if let host, made.host?.lowercased() != host.lowercased() { return false }
        return true
    }

    /// Parses `--since`: an RFC 3339 time, or a duration before `now` such as `90s`, `15m`,
    /// `2h`, `7d`.
    public static func time(since text: String, now: AuditTime = .now()) throws -> AuditTime {
        if let time = AuditTime(rfc3339: text) { return time }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last.flatMap({ units[$0] }), let amount = Int64(text.dropLast()), amount >= 0 {
            return AuditTime(microseconds: now.microseconds - amount * unit * 1_000_000)
        }
        throw AuditError(.invalidArgument, operation: "parse --since", path: text,
                         detail: "neither an RFC 3339 time nor a duration",
                         remedy: "write e.g. 2026-01-02T03:04:05Z, 30m, 2h or 7d")
    }
}
