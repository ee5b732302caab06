/// One record as one readable line, for `cordon audit tail` and `query`: time, session,
/// sequence number, what happened, and why. Colour (ANSI) only when asked, i.e. on a terminal.
public struct AuditRecordFormatter: Sendable {
    /// Whether to colour outcomes.
    public var colour: Bool

    /// A formatter.
    public init(colour: Bool) { self.colour = colour }

    /// The line for `record`, without newline.
    public func line(for record: AuditRecord) -> String {
        let event = record.event
        let time = String(event.time.description.replacingOccurrences(of: "T", with: " ").dropLast(4))
        let head = "\(time) \(event.session) #\(record.seq)"
        switch event.body {
        case .decision(let decision):
            let outcome = decision.decision.rawValue.uppercased().padding(toLength: 7, withPad: " ", startingAt: 0)
            var subject = decision.capability ?? [decision.operation, decision.path, decision.host].compactMap { $0 }
                .joined(separator: " ")
            if decision.capability == nil, let port = decision.port { subject += ":\(port)" }
            var text = "\(head) \(paint(outcome, for: decision.decision)) \(decision.source.rawValue) \(subject)"
            if let executable = decision.executable { text += " by \(executable)" + (decision.pid.map { "[\($0)]" } ?? "") }
            if let reason = decision.reason { text += " — \(reason)" }
            if let rule = decision.rule { text += dim(" (\(rule))") }
            return text
        case .sessionStart(let start):
            let weakened = start.enforcement.filter { $0.status != "enforced" }.map { "\($0.layer)=\($0.status)" }
            return "\(head) \(bold("START  ")) \(start.command.joined(separator: " ")) "
                + "(\(start.capabilities.count) capabilities" + (weakened.isEmpty ? "" : "; weakened: \(weakened.joined(separator: ", "))")
                + (start.policy.map { "; policy \($0.name)@\($0.revision ?? "?")" } ?? "") + ")"
        case .sessionStop(let stop):
            let status = stop.exitCode.map { "exit \($0)" } ?? stop.signal.map { "signal \($0)" } ?? "ended"
            return "\(head) \(bold("STOP   ")) \(status)" + (stop.reason.map { " — \($0)" } ?? "")
        case .layerFailure(let failure):
            return "\(head) \(alarm("LAYER  ")) \(failure.layer): \(failure.detail)" + (failure.fatal ? " (fatal)" : "")
        case .supervisorError(let error):
            return "\(head) \(alarm("ERROR  ")) \(error.operation): \(error.message)"
        case .auditGap(let gap):
            var text = "\(head) \(alarm("GAP    ")) \(gap.lostRecords) record(s) lost"
            if let error = gap.error { text += ": \(error)" }
            if let bytes = gap.discardedBytes { text += "; \(bytes) bytes of an unfinished record cut" }
            return text
        case .logRotated(let rotated):
            return "\(head) \(dim("ROTATED after #\(rotated.previousLastSeq) into \(rotated.previousFile)"))"
        }
    }

    private func paint(_ text: String, for outcome: AuditEvent.DecisionOutcome) -> String {
        guard colour else { return text }
        switch outcome {
        case .deny: return "\u{1B}[31m\(text)\u{1B}[0m"
        case .allow, .approve: return "\u{1B}[32m\(text)\u{1B}[0m"
        case .ask: return "\u{1B}[33m\(text)\u{1B}[0m"
        case .expire, .revoke: return "\u{1B}[35m\(text)\u{1B}[0m"
        }
    }

    private func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    private func alarm(_ text: String) -> String { colour ? "\u{1B}[1;31m\(text)\u{1B}[0m" : text }
}
