import Foundation
import Testing

@testable import AuditLog

/// The follower reads every record once, in order, across rotations and across a cut tail.
@Suite struct FollowerTests {
    @Test func followsAcrossRotations() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let writer = try makeWriter(temporary.audit, maxFileBytes: 1_500)
        let follower = AuditFollower(directory: temporary.audit, after: 0)
        #expect(try follower.next(limit: 10).isEmpty)
        var seen = [UInt64]()
        for round in 0..<10 {
            for index in 0..<7 { try writer.append(decisionEvent(round * 7 + index)) }
            while true {
                let batch = try follower.next(limit: 5)
                if batch.isEmpty { break }
                seen += batch.map(\.record.seq)
                #expect(batch.allSatisfy { AuditRecord.hash(line: $0.line).count == 64 })
            }
        }
        try writer.close()
        #expect(try temporary.audit.chainFiles().count > 5)
        let last = try #require(try AuditVerifier.verify(path: temporary.audit.path).lastSeq)
        #expect(seen == Array(1...last))
    }

    @Test func startsAfterTheGivenSequenceNumber() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        try writeRecords(temporary.audit, count: 20)
        let follower = AuditFollower(directory: temporary.audit, after: 15)
        #expect(try follower.next(limit: 100).map(\.record.seq) == [16, 17, 18, 19, 20])
    }
}

/// Exported lines are the written lines, so an export verifies on its own.
@Suite struct ExportLineTests {
    @Test func linesReadBackAreTheBytesWritten() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let writer = try makeWriter(temporary.audit, maxFileBytes: 1_000)
        for index in 0..<30 { try writer.append(decisionEvent(index)) }
        try writer.close()
        var exported = [UInt8]()
        try AuditLogReader.forEachLine(path: temporary.audit.path) { _, line in
            exported += line
            exported.append(10)
        }
        let file = temporary.path + "/export.jsonl"
        try Data(exported).write(to: URL(fileURLWithPath: file))
        let result = try AuditVerifier.verify(path: file, checkpointFile: "/nonexistent")
        #expect(result.ok)
        #expect(result.anchoredAtGenesis)
        #expect(result.records == (try AuditVerifier.verify(path: temporary.audit.path).records))
    }
}

/// A follower that read half a record keeps going once a writer cuts it and writes on.
@Suite struct FollowerRecoveryTests {
    @Test func aCutPartialRecordDoesNotDerailTheFollower() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        try writeRecords(temporary.audit, count: 5)
        let handle = try #require(FileHandle(forWritingAtPath: temporary.audit.activeFile))
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":6,\"prev\":\"half a rec".utf8))
        try handle.close()
        let follower = AuditFollower(directory: temporary.audit, after: 0)
        #expect(try follower.next(limit: 100).map(\.record.seq) == [1, 2, 3, 4, 5])
        try writeRecords(temporary.audit, count: 2)
        let next = try follower.next(limit: 100)
        #expect(next.map(\.record.seq) == [6, 7, 8])
        #expect(next.first?.record.event.kind == .auditGap)
    }
}
