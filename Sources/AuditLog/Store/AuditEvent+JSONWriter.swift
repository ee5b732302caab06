/// The hand-written form of each event, field for field the same keys as the `CodingKeys`.
extension AuditEvent {
    func write(to writer: inout JSONWriter) {
        writer.field("time", time)
        writer.field("session", session)
        writer.field("kind", kind.rawValue)
        switch body {
        case .sessionStart(let start):
            writer.field("command", start.command)
            writer.field("executable", start.executable)
            writer.field("pid", start.pid)
            writer.field("user", start.user)
            writer.field("working_directory", start.workingDirectory)
            writer.field("capabilities", start.capabilities)
            writer.key("enforcement")
            writer.value(.array(start.enforcement.map {
                .object(["layer": .string($0.layer), "status": .string($0.status), "detail": .string($0.detail)])
            }))
            if let policy = start.policy { writer.key("policy"); policy.write(to: &writer) }
            writer.field("audit_mode", start.auditMode)
        case .sessionStop(let stop):
            writer.field("exit_code", stop.exitCode)
            writer.field("signal", stop.signal)
            writer.field("duration_ms", stop.durationMs)
            writer.field("reason", stop.reason)
        case .decision(let decision):
            decision.write(to: &writer)
        case .layerFailure(let failure):
            writer.field("layer", failure.layer)
            writer.field("detail", failure.detail)
            writer.field("fatal", failure.fatal)
        case .supervisorError(let error):
            writer.field("operation", error.operation)
            writer.field("message", error.message)
        case .auditGap(let gap):
            writer.field("lost_records", gap.lostRecords)
            writer.field("since", gap.since)
            writer.field("error", gap.error)
            writer.field("discarded_bytes", gap.discardedBytes)
        case .logRotated(let rotated):
            writer.field("previous_file", rotated.previousFile)
            writer.field("previous_last_seq", rotated.previousLastSeq)
        }
    }
}

extension AuditEvent.Decision {
    func write(to writer: inout JSONWriter) {
        writer.field("source", source.rawValue)
        writer.field("decision", decision.rawValue)
        writer.field("capability", capability)
        writer.field("operation", operation)
        writer.field("path", path)
        writer.field("host", host)
        writer.field("port", port)
        writer.field("pid", pid)
        writer.field("executable", executable)
        writer.field("bytes", bytes)
        writer.field("duration_ms", durationMs)
        writer.field("reason", reason)
        writer.field("rule", rule)
        writer.field("decision_id", decisionId)
        writer.field("policy_path", policyPath)
        writer.field("input", input)
        writer.field("result", result)
        if let bundle { writer.key("bundle"); bundle.write(to: &writer) }
        writer.field("eval_ns", evalNs)
        writer.field("grant", grant)
        writer.field("expires", expires)
    }
}

extension AuditEvent.PolicyBundle {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("name", name)
        writer.field("revision", revision)
        writer.field("hash", hash)
        writer.endObject()
    }
}
