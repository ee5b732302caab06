import NIOCore

extension EgressSession {
    /// Hands one record to the sink once the caller lookup has finished (`waitForRecords` waits
    /// for the ones still looking).
    func emit(
        _ request: EgressRequest, caller: PendingCaller, outcome: EgressRecord.Outcome, address: String?,
        capability: String?, reason: String?, sent: UInt64, received: UInt64
    ) {
        let duration = Double((NIODeadline.now() - request.started).nanoseconds) / 1e9
        let id = self.id
        let sink = self.sink
        let inFlight = recordsInFlight
        inFlight.withLockedValue { $0 += 1 }
        caller.whenResolved { who in
            defer { inFlight.withLockedValue { $0 -= 1 } }
            sink.record(
                EgressRecord(
                    time: request.time, session: id, kind: request.kind, callerPID: who?.pid,
                    callerExecutable: who?.executable, host: request.host, port: request.port, address: address,
                    outcome: outcome, capability: capability, reason: reason, bytesSent: sent, bytesReceived: received,
                    durationSeconds: duration))
        }
    }
}
