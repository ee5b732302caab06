import Foundation
import Testing

@testable import AuditLog

/// The API the supervisor uses: open for a session, record, close.
@Suite struct AuditSessionTests {
    @Test func aSessionRecordsItsStartDecisionsAndStop() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let session = try AuditSession.open(
            id: "sess-42", configuration: .init(directory: temporary.audit, mode: .required), logger: testLogger)
        try session.record(.sessionStart(.init(
            command: ["agent"], capabilities: ["read-file:/home/u/notes"],
            enforcement: [.init(layer: "landlock", status: "enforced", detail: "ABI 7")],
            policy: .init(name: "cordon", revision: "r1", hash: "abc"))))
        let seq = try session.record(.decision(.init(source: .broker, decision: .deny, path: "/etc/shadow")))
        #expect(seq == 2)
        try session.close(.init(exitCode: 0, reason: "agent exited"))
        #expect(throws: AuditError.self) { try session.record(.supervisorError(.init(operation: "x", message: "closed"))) }
        var records = [AuditRecord]()
        try AuditLogReader.forEachRecord(path: temporary.audit.path) { records.append($0) }
        #expect(records.map(\.event.kind) == [.sessionStart, .decision, .sessionStop])
        #expect(records.allSatisfy { $0.event.session == "sess-42" })
        #expect(try AuditVerifier.verify(path: temporary.audit.path).ok)
    }
}
