import Foundation
import Testing

@testable import AuditLog

/// OPA decision-log events, masking, and OCSF classes.
@Suite struct EncodingTests {
    private let decision = AuditRecord(seq: 12, prev: AuditRecord.genesis, event: AuditEvent(
        time: AuditTime(microseconds: 1_764_450_123_004_005), session: "s9",
        .decision(.init(source: .broker, decision: .deny, capability: "read-file:/home/u/.ssh/id_ed25519",
                        operation: "open", path: "/home/u/.ssh/id_ed25519", pid: 42, executable: "/usr/bin/agent",
                        reason: "secrets are never readable", rule: "data.cordon.broker.deny_secrets",
                        decisionId: "0b7c", policyPath: "cordon/broker/decision",
                        input: .object(["path": .string("/home/u/.ssh/id_ed25519"), "password": .string("hunter2"),
                                        "user": .object(["name": .string("u"), "token": .string("t0k")])]),
                        result: .object(["allow": .bool(false)]), bundle: .init(name: "cordon", revision: "r7"),
                        evalNs: 2_500))))

    @Test func anOPAEventHasTheDecisionLogFields() throws {
        let event = try #require(DecisionLogEncoder(labels: ["version": "0.1.0"]).event(for: decision))
        #expect(event["decision_id"] == .string("0b7c"))
        #expect(event["path"] == .string("cordon/broker/decision"))
        #expect(event["timestamp"] == .string("2025-11-29T21:02:03.004005Z"))
        #expect(event["input"]?["password"] == .string("hunter2"))
        #expect(event["result"] == .object(["allow": .bool(false)]))
        #expect(event["bundles"] == .object(["cordon": .object(["revision": .string("r7")])]))
        #expect(event["metrics"] == .object(["timer_rego_query_eval_ns": .int(2_500)]))
        #expect(event["labels"]?["session"] == .string("s9"))
        #expect(event["labels"]?["version"] == .string("0.1.0"))
        #expect(event["erased"] == nil)
        let notADecision = AuditRecord(seq: 1, prev: AuditRecord.genesis,
                                       event: AuditEvent(session: "s", .supervisorError(.init(operation: "x", message: "y"))))
        #expect(DecisionLogEncoder().event(for: notADecision) == nil)
    }

    @Test func masksEraseAndUpsertAsOPADoes() throws {
        let rules = try DecisionLogMask.rules(.array([
            .string("/input/password"),
            .object(["op": .string("upsert"), "path": .string("/input/user/token"), "value": .string("**REDACTED**")]),
            .object(["op": .string("upsert"), "path": .string("/input/absent/leaf"), "value": .string("x")]),
            .object(["op": .string("remove"), "path": .string("/result/allow")]),
            .string("/input/not_there"),
        ]))
        let event = try #require(DecisionLogEncoder(masks: rules).event(for: decision))
        #expect(event["input"] == .object(["path": .string("/home/u/.ssh/id_ed25519"),
                                           "user": .object(["name": .string("u"), "token": .string("**REDACTED**")])]))
        #expect(event["result"] == .object([:]))
        #expect(event["erased"] == .array([.string("/input/password"), .string("/result/allow")]))
        #expect(event["masked"] == .array([.string("/input/user/token")]))
    }

    @Test func badMaskRulesAreRejected() {
        #expect(throws: AuditError.self) { try DecisionLogMask(.string("/labels/id")) }
        #expect(throws: AuditError.self) { try DecisionLogMask(.object(["op": .string("upsert"), "path": .string("/input/a")])) }
        #expect(throws: AuditError.self) { try DecisionLogMask(.object(["op": .string("swap"), "path": .string("/input/a")])) }
        #expect(throws: AuditError.self) { try DecisionLogMask.rules(.string("/input/a")) }
    }

    @Test func ocsfClassesFollowWhatWasDecided() {
        let encoder = OCSFEncoder()
        let file = encoder.event(for: decision)
        #expect(file["class_uid"] == .int(1001))
        #expect(file["category_uid"] == .int(1))
        #expect(file["activity_id"] == .int(14))
        #expect(file["type_uid"] == .int(100_114))
        #expect(file["time"] == .int(1_764_450_123_004))
        #expect(file["action_id"] == .int(2))
        #expect(file["disposition_id"] == .int(2))
        #expect(file["status_id"] == .int(2))
        #expect(file["severity_id"] == .int(3))
        #expect(file["file"]?["path"] == .string("/home/u/.ssh/id_ed25519"))
        #expect(file["actor"]?["process"]?["pid"] == .int(42))
        #expect(file["policy"]?["name"] == .string("data.cordon.broker.deny_secrets"))
        #expect(file["metadata"]?["sequence"] == .int(12))

        let connect = AuditRecord(seq: 2, prev: AuditRecord.genesis, event: AuditEvent(session: "s", .decision(.init(
            source: .proxy, decision: .allow, capability: "network:example.com:443", host: "example.com", port: 443,
            bytes: 512))))
        let network = encoder.event(for: connect)
        #expect(network["class_uid"] == .int(4001))
        #expect(network["category_uid"] == .int(4))
        #expect(network["type_uid"] == .int(400_101))
        #expect(network["dst_endpoint"] == .object(["hostname": .string("example.com"), "port": .int(443)]))
        #expect(network["traffic"]?["bytes"] == .int(512))
        #expect(network["action_id"] == .int(1))

        let start = AuditRecord(seq: 1, prev: AuditRecord.genesis, event: AuditEvent(session: "s", .sessionStart(.init(
            command: ["agent"], pid: 5, capabilities: [], enforcement: []))))
        let process = encoder.event(for: start)
        #expect(process["class_uid"] == .int(1007))
        #expect(process["type_uid"] == .int(100_701))
        #expect(process["process"]?["pid"] == .int(5))

        let failure = AuditRecord(seq: 3, prev: AuditRecord.genesis, event: AuditEvent(session: "s", .layerFailure(.init(
            layer: "landlock", detail: "ABI too old", fatal: true))))
        #expect(encoder.event(for: failure)["severity_id"] == .int(5))
    }
}
