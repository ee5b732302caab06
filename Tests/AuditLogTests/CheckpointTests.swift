import Crypto
import Foundation
import Testing

@testable import AuditLog

/// Signed checkpoints let a third party verify with the public key alone and catch a log cut
/// short below a checkpoint.
@Suite struct CheckpointTests {
    private func signedLog(_ temporary: TemporaryDirectory, records: Int) throws -> Curve25519.Signing.PublicKey {
        let keyPath = temporary.path + "/audit.key"
        let publicKey = try AuditKeys.generate(privatePath: keyPath)
        let signer = AuditCheckpointSigner(privateKey: try AuditKeys.privateKey(path: keyPath))
        let writer = try makeWriter(temporary.audit, signer: signer, checkpointInterval: 10)
        for index in 0..<records { try writer.append(decisionEvent(index)) }
        try writer.close()
        return publicKey
    }

    @Test func keygenWritesAnOwnerOnlyPrivateKeyAndAPublicKey() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let keyPath = temporary.path + "/audit.key"
        let publicKey = try AuditKeys.generate(privatePath: keyPath)
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try AuditKeys.publicKey(keyPath + ".pub").rawRepresentation == publicKey.rawRepresentation)
        #expect(try AuditKeys.privateKey(path: keyPath).publicKey.rawRepresentation == publicKey.rawRepresentation)
        #expect(throws: AuditError.self) { try AuditKeys.generate(privatePath: keyPath) }
    }

    @Test func signedCheckpointsVerifyWithThePublicKey() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let publicKey = try signedLog(temporary, records: 95)
        let result = try AuditVerifier.verify(path: temporary.audit.path, publicKey: publicKey)
        #expect(result.ok, "\(String(describing: result.failure))")
        #expect(result.checkpointsVerified == 10, "nine every ten records and one on close")
        #expect(result.lastCheckpointSeq == 95)

        let otherKey = Curve25519.Signing.PrivateKey().publicKey
        let wrongKey = try AuditVerifier.verify(path: temporary.audit.path, publicKey: otherKey)
        #expect(wrongKey.failure?.kind == .badSignature)
    }

    @Test func aTruncatedTailIsCaughtUpToTheLastCheckpoint() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let publicKey = try signedLog(temporary, records: 95)
        // Cutting whole records from the end leaves a chain that holds on its own...
        let original = try lines(temporary.audit.activeFile)
        try writeLines(Array(original.prefix(93)), to: temporary.audit.activeFile)
        let withoutCheckpoints = try AuditVerifier.verify(
            path: temporary.audit.path, checkpointFile: temporary.path + "/none.jsonl")
        #expect(withoutCheckpoints.ok, "positive control: the chain alone cannot see the cut")
        // ...but not against the signed checkpoint of seq 95.
        let result = try AuditVerifier.verify(path: temporary.audit.path, publicKey: publicKey)
        #expect(result.failure?.kind == .truncated)
        #expect(result.failure?.seq == 93)
    }

    @Test func aForgedCheckpointIsRejected() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let publicKey = try signedLog(temporary, records: 20)
        var checkpoints = try lines(temporary.audit.checkpointFile)
        checkpoints[0] = checkpoints[0].replacingOccurrences(of: "\"seq\":10", with: "\"seq\":11")
        try writeLines(checkpoints, to: temporary.audit.checkpointFile)
        let result = try AuditVerifier.verify(path: temporary.audit.path, publicKey: publicKey)
        #expect(result.failure?.kind == .badSignature)
    }

    @Test func aRecordRewrittenWithAConsistentChainIsCaughtByItsCheckpoint() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let publicKey = try signedLog(temporary, records: 20)
        // Rewrite record 5 and recompute every later link, as someone with write access could.
        var records = try lines(temporary.audit.activeFile).map { try AuditRecord.decode(line: Array($0.utf8)) }
        records[4].event = decisionEvent(4, outcome: .deny)
        var rewritten = [String]()
        var prev = AuditRecord.genesis
        let encoder = AuditLineEncoder()
        for record in records {
            let line = encoder.line(seq: record.seq, prev: prev, event: record.event)
            prev = AuditRecord.hash(line: line)
            rewritten.append(String(decoding: line, as: UTF8.self))
        }
        try writeLines(rewritten, to: temporary.audit.activeFile)
        #expect(try AuditVerifier.verify(path: temporary.audit.path, checkpointFile: "/nonexistent").ok,
                "positive control: the rewritten chain is self-consistent")
        let result = try AuditVerifier.verify(path: temporary.audit.path, publicKey: publicKey)
        #expect(result.failure?.kind == .checkpointMismatch)
        #expect(result.failure?.seq == 10)
    }
}
