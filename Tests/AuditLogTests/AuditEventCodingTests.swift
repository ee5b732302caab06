import Foundation
import Testing

@testable import AuditLog

@Suite struct AuditEventCodingTests {
    static let allKinds: [AuditEvent.Body] = [
        .sessionStart(.init(command: ["agent", "--task", "x"], executable: "/usr/bin/agent", pid: 7, user: "1000",
                            workingDirectory: "/home/u/p", capabilities: ["read-file:/home/u/p/a", "network:example.com:443"],
                            enforcement: [.init(layer: "landlock", status: "enforced", detail: "ABI 7")],
                            policy: .init(name: "cordon", revision: "r1", hash: String(repeating: "a", count: 64)),
                            auditMode: "required")),
        .sessionStop(.init(exitCode: 3, signal: 9, durationMs: 1200, reason: "agent exited")),
        .decision(.init(source: .proxy, decision: .deny, capability: "network:evil.example:443", operation: "connect",
                        path: "/run/a\nb\u{1}\\\"c", host: "evil.example", port: 443, pid: 9, executable: "/usr/bin/curl", bytes: 0, durationMs: 2,
                        reason: "not in the allow list", rule: "data.cordon.net.deny", decisionId: "d-1",
                        policyPath: "cordon/net/decision", input: .object(["host": .string("evil.example"), "n": .array([.null, .bool(true), .int(-3), .double(1.5)])]),
                        result: .object(["allow": .bool(false)]), bundle: .init(name: "cordon", revision: "r1"),
                        evalNs: 1500, grant: "g-1", expires: AuditTime(microseconds: 1_700_000_000_123_456))),
        .layerFailure(.init(layer: "seccomp", detail: "EINVAL", fatal: true)),
        .supervisorError(.init(operation: "pty relay", message: "EIO")),
        .auditGap(.init(lostRecords: 3, since: AuditTime(microseconds: 5), error: "ENOSPC", discardedBytes: 17)),
        .logRotated(.init(previousFile: "audit-0000000000000001-0000000000000009.jsonl", previousLastSeq: 9)),
    ]

    @Test func everyKindRoundTripsThroughTheLog() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let writer = try makeWriter(temporary.audit)
        let events = Self.allKinds.map { AuditEvent(time: AuditTime(microseconds: 1_764_000_000_000_001), session: "s\u{e9}\"x", $0) }
        try writer.append(contentsOf: events)
        try writer.close()
        var read = [AuditRecord]()
        try AuditLogReader.forEachRecord(path: temporary.audit.path) { read.append($0) }
        #expect(read.map(\.event) == events)
        #expect(read.map(\.seq) == Array(1...UInt64(events.count)))
        #expect(read.first?.prev == AuditRecord.genesis)
        #expect(Set(read.map(\.event.kind)) == Set(AuditEventKind.allCases))
        let first = try lines(temporary.audit.activeFile)[0]
        #expect(first.hasPrefix("{\"seq\":1,\"prev\":\"\(AuditRecord.genesis)\","))
        #expect(first.contains("\"kind\":\"session.start\""))
        #expect(first.contains("\"session\":"))
    }

    @Test func timesFormatAndParseAsRFC3339() throws {
        let time = AuditTime(microseconds: 1_764_450_123_004_005)
        #expect(time.description == "2025-11-29T21:02:03.004005Z")
        #expect(AuditTime(rfc3339: time.description) == time)
        #expect(AuditTime(rfc3339: "2025-11-29T22:02:03.004005+01:00") == time)
        #expect(AuditTime(rfc3339: "2025-11-29T21:02:03Z")?.microseconds == 1_764_450_123_000_000)
        #expect(AuditTime(rfc3339: "2025-11-29 21:02:03") == nil)
        #expect(AuditTime(microseconds: -1).description == "1969-12-31T23:59:59.999999Z")
    }

    @Test func directoryAndFilesAreOwnerOnly() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        try writeRecords(temporary.audit, count: 2)
        #expect(temporary.audit.path == temporary.path + "/state/cordon/audit")
        let directoryMode = try FileManager.default.attributesOfItem(atPath: temporary.audit.path)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: temporary.audit.activeFile)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)
        #expect(fileMode == 0o600)
        #expect(AuditDirectory.defaultDirectory(environment: ["HOME": "/home/x"]).path == "/home/x/.local/state/cordon/audit")
    }
}
