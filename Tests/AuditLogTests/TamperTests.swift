import Foundation
import Testing

@testable import AuditLog

/// Every kind of tampering is caught and named, at the right line.
@Suite struct TamperTests {
    /// A directory with 10 records, and its active file's lines.
    private func tenRecords() throws -> (TemporaryDirectory, [String]) {
        let temporary = TemporaryDirectory()
        try writeRecords(temporary.audit, count: 10)
        let untouched = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(untouched.ok, "positive control: the untouched log verifies")
        #expect(untouched.records == 10)
        #expect(untouched.anchoredAtGenesis)
        return (temporary, try lines(temporary.audit.activeFile))
    }

    private func verifyAfter(_ change: ([String]) -> [String]) throws -> AuditVerification {
        let (temporary, original) = try tenRecords()
        defer { temporary.cleanup() }
        try writeLines(change(original), to: temporary.audit.activeFile)
        return try AuditVerifier.verify(path: temporary.audit.path)
    }

    @Test func anEditedRecordIsNamed() throws {
        let result = try verifyAfter { lines in
            var lines = lines
            lines[4] = lines[4].replacingOccurrences(of: "\"decision\":\"allow\"", with: "\"decision\":\"deny\"")
            return lines
        }
        #expect(result.failure?.kind == .edited)
        #expect(result.failure?.line == 5)
        #expect(result.failure?.seq == 5)
        #expect(result.records == 4)
    }

    @Test func aDroppedRecordIsNamed() throws {
        let result = try verifyAfter { lines in
            var lines = lines
            lines.remove(at: 3)
            return lines
        }
        #expect(result.failure?.kind == .dropped)
        #expect(result.failure?.line == 4)
        #expect(result.failure?.seq == 5)
    }

    @Test func reorderedRecordsAreNamed() throws {
        let result = try verifyAfter { lines in
            var lines = lines
            lines.swapAt(5, 6)
            return lines
        }
        #expect(result.failure?.kind == .reordered)
        #expect(result.failure?.line == 6)
    }

    @Test func aDuplicatedRecordIsNamed() throws {
        let result = try verifyAfter { lines in
            var lines = lines
            lines.insert(lines[2], at: 3)
            return lines
        }
        #expect(result.failure?.kind == .duplicated)
        #expect(result.failure?.line == 4)
    }

    @Test func anInsertedRecordIsNamed() throws {
        // A forger who knows the format writes a well-formed record that chains to line 6
        // and takes seq 7; the genuine seq 7 then chains to line 6, not to the forgery.
        let result = try verifyAfter { lines in
            var lines = lines
            let forged = try! JSONEncoder().encode(AuditRecord(
                seq: 7, prev: AuditRecord.hash(line: Array(lines[5].utf8)), event: decisionEvent(99, outcome: .allow)))
            lines.insert(String(decoding: forged, as: UTF8.self), at: 6)
            return lines
        }
        #expect(result.failure?.kind == .inserted)
        #expect(result.failure?.line == 7)
    }

    @Test func aLineThatIsNoRecordIsNamed() throws {
        let result = try verifyAfter { lines in
            var lines = lines
            lines[1] = "not json"
            return lines
        }
        #expect(result.failure?.kind == .malformed)
        #expect(result.failure?.line == 2)
    }

    @Test func aDirectoryWhoseHeadWasRemovedFails() throws {
        let result = try verifyAfter { Array($0.dropFirst(2)) }
        #expect(result.failure?.kind == .missingStart)
        #expect(result.failure?.seq == 3)
    }

    @Test func aSingleLaterFileVerifiesWithANote() throws {
        let (temporary, original) = try tenRecords()
        defer { temporary.cleanup() }
        let file = temporary.path + "/later.jsonl"
        try writeLines(Array(original.dropFirst(4)), to: file)
        let result = try AuditVerifier.verify(path: file)
        #expect(result.ok)
        #expect(!result.anchoredAtGenesis)
        #expect(result.firstSeq == 5)
        #expect(result.notes.contains { $0.contains("continues an earlier file") })
    }

    @Test func aPartialLastLineVerifiesUpToTheLastWholeRecordAndSaysSo() throws {
        let (temporary, original) = try tenRecords()
        defer { temporary.cleanup() }
        // What a writer killed in the middle of its write leaves: half a line, no newline.
        let torn = String(original[9].prefix(original[9].count / 2))
        try (original.prefix(9).joined(separator: "\n") + "\n" + torn)
            .write(toFile: temporary.audit.activeFile, atomically: false, encoding: .utf8)
        let result = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(result.ok)
        #expect(result.records == 9)
        #expect(result.partialTail?.bytes == torn.utf8.count)
        #expect(result.partialTail?.wholeLines == 9)
        #expect(result.notes.contains { $0.contains("unfinished record") })

        // The next writer cuts the partial record, says so in an audit.gap record, and the
        // chain goes on from record 9.
        let writer = try makeWriter(temporary.audit)
        try writer.append(decisionEvent(100))
        try writer.close()
        let after = try AuditVerifier.verify(path: temporary.audit.path)
        #expect(after.ok)
        #expect(after.partialTail == nil)
        #expect(after.records == 11)
        var gaps = [AuditEvent.AuditGap]()
        try AuditLogReader.forEachRecord(path: temporary.audit.path) {
            if case .auditGap(let gap) = $0.event.body { gaps.append(gap) }
        }
        #expect(gaps.map(\.discardedBytes) == [torn.utf8.count])
    }
}
