/// Turns decision records into OPA decision-log events, the array elements OPA posts to a
/// decision-log service: `decision_id`, `path`, `input`, `result`, `timestamp`, `labels`,
/// `bundles`, `metrics`, and `erased`/`masked` after masking. Records that are not decisions
/// have no OPA form.
public struct DecisionLogEncoder: Sendable {
    /// Labels added to every event (OPA's `labels`, e.g. `id` and `version` of the agent).
    public var labels: [String: String]
    /// Mask rules applied to every event (OPA's `data.system.log.mask`).
    public var masks: [DecisionLogMask]

    /// An encoder with labels and mask rules.
    public init(labels: [String: String] = [:], masks: [DecisionLogMask] = []) {
        self.labels = labels
        self.masks = masks
    }

    /// The OPA event for `record`, or nil when it is not a decision.
    public func event(for record: AuditRecord) -> JSONValue? {
        guard let decision = record.event.decision else { return nil }
        let session = record.event.session
        var allLabels = ["app": "cordon", "session": session]
        allLabels.merge(labels) { _, given in given }
        var event: [String: JSONValue] = [
            "decision_id": .string(decision.decisionId ?? "\(session)/\(record.seq)"),
            "path": .string(decision.policyPath ?? "cordon/\(decision.source.rawValue)/decision"),
            "input": decision.input ?? Self.input(of: decision),
            "result": decision.result ?? Self.result(of: decision),
            "timestamp": .string(record.event.time.description),
            "labels": .object(allLabels.mapValues(JSONValue.string)),
        ]
        if let bundle = decision.bundle {
            event["bundles"] = .object([bundle.name: .compactObject([("revision", .string(bundle.revision))])])
        }
        if let evalNs = decision.evalNs {
            event["metrics"] = .object(["timer_rego_query_eval_ns": .int(evalNs)])
        }
        if let pid = decision.pid {
            event["requested_by"] = .string("pid:\(pid)")
        }
        DecisionLogMask.apply(masks, to: &event)
        return .object(event)
    }

    /// The request as a policy would have seen it, when the record does not carry the input.
    static func input(of decision: AuditEvent.Decision) -> JSONValue {
        .compactObject([
            ("capability", .string(decision.capability)), ("operation", .string(decision.operation)),
            ("path", .string(decision.path)), ("host", .string(decision.host)), ("port", .int(decision.port)),
            ("pid", .int(decision.pid)), ("executable", .string(decision.executable)),
        ])
    }

    /// The decision as a policy result, when the record does not carry the result.
    static func result(of decision: AuditEvent.Decision) -> JSONValue {
        .compactObject([
            ("decision", .string(decision.decision.rawValue)), ("reason", .string(decision.reason)),
            ("rule", .string(decision.rule)),
        ])
    }
}
