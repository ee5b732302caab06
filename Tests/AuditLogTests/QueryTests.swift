import Foundation
import Testing

@testable import AuditLog

/// Filters and the readable line of `tail` and `query`.
@Suite struct QueryTests {
    private func record(_ seq: UInt64, _ event: AuditEvent) -> AuditRecord {
        AuditRecord(seq: seq, prev: AuditRecord.genesis, event: event)
    }

    @Test func filtersCombine() throws {
        let early = AuditTime(microseconds: 1_000_000)
        let late = AuditTime(microseconds: 9_000_000)
        let fileDenied = record(1, AuditEvent(time: early, session: "a", .decision(.init(
            source: .broker, decision: .deny, path: "/home/u/secret/key"))))
        let netAllowed = record(2, AuditEvent(time: late, session: "b", .decision(.init(
            source: .proxy, decision: .allow, host: "Example.COM", port: 443))))
        let start = record(3, AuditEvent(time: late, session: "a", .sessionStart(.init(
            command: ["x"], capabilities: [], enforcement: []))))
        let all = [fileDenied, netAllowed, start]
        func seqs(_ query: AuditQuery) -> [UInt64] { all.filter(query.matches).map(\.seq) }
        #expect(seqs(AuditQuery()) == [1, 2, 3])
        #expect(seqs(AuditQuery(session: "a")) == [1, 3])
        #expect(seqs(AuditQuery(kind: .sessionStart)) == [3])
        #expect(seqs(AuditQuery(decision: .deny)) == [1])
        #expect(seqs(AuditQuery(pathPrefix: "/home/u")) == [1])
        #expect(seqs(AuditQuery(pathPrefix: "/home/u/")) == [1])
        #expect(seqs(AuditQuery(pathPrefix: "/home/us")) == [])
        #expect(seqs(AuditQuery(host: "example.com")) == [2])
        #expect(seqs(AuditQuery(since: AuditTime(microseconds: 5_000_000))) == [2, 3])
        #expect(seqs(AuditQuery(session: "a", decision: .allow)) == [])
    }

    @Test func sinceTakesTimesAndDurations() throws {
        let now = AuditTime(microseconds: 10_000_000_000)
        #expect(try AuditQuery.time(since: "90s", now: now).microseconds == 10_000_000_000 - 90_000_000)
        #expect(try AuditQuery.time(since: "2h", now: now).microseconds == 10_000_000_000 - 7_200_000_000)
        #expect(try AuditQuery.time(since: "1970-01-01T00:00:01Z", now: now).microseconds == 1_000_000)
        #expect(throws: AuditError.self) { try AuditQuery.time(since: "soon", now: now) }
    }

    @Test func linesAreColouredOnlyWhenAsked() {
        let denied = record(7, AuditEvent(time: AuditTime(microseconds: 0), session: "s", .decision(.init(
            source: .broker, decision: .deny, capability: "read-file:/etc/shadow", reason: "secret", rule: "r"))))
        let plain = AuditRecordFormatter(colour: false).line(for: denied)
        #expect(plain == "1970-01-01 00:00:00.000 s #7 DENY    broker read-file:/etc/shadow — secret (r)")
        #expect(!plain.contains("\u{1B}["))
        #expect(AuditRecordFormatter(colour: true).line(for: denied).contains("\u{1B}[31mDENY"))
    }
}
