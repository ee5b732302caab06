import Foundation
import Testing

@testable import AuditLog

/// The writer reads `seq` and `time` off the head of a line without a JSON decoder; it must
/// read what the decoder reads, and leave every other layout to the decoder.
@Suite struct AuditLineHeadTests {
    struct Head: Decodable, Equatable {
        var seq: UInt64
        var time: AuditTime
    }

    @Test(arguments: [UInt64(0), 1, 9, 10, 4_294_967_296, UInt64.max])
    func readsWhatTheDecoderReads(seq: UInt64) throws {
        let event = AuditEvent(session: "s", .supervisorError(.init(operation: "x", message: "y")))
        let line = AuditLineEncoder().line(seq: seq, prev: AuditRecord.genesis, event: event)
        let decoded = try JSONDecoder().decode(Head.self, from: Data(line))
        let head = try #require(AuditLineHead(line))
        #expect(head.seq == decoded.seq && head.time == decoded.time)
    }

    @Test(arguments: [
        #"{"prev":"0","seq":1}"#, #"{ "seq":1,"prev":"#, #"{"seq":,"prev":"#, #"{"seq":01,"prev":""#,
        #"{"seq":18446744073709551616,"prev":""#, #"{"seq":1}"#, "",
    ])
    func otherLayoutsAreLeftToTheDecoder(line: String) {
        #expect(AuditLineHead(Array(line.utf8)) == nil)
    }

    @Test func aLineWithoutTimeRightAfterPrevHasNoTime() throws {
        let line = #"{"seq":7,"prev":""# + AuditRecord.genesis + #"","kind":"x","time":"2026-01-01T00:00:00Z"}"#
        let head = try #require(AuditLineHead(Array(line.utf8)))
        #expect(head.seq == 7 && head.time == nil)
    }
}
