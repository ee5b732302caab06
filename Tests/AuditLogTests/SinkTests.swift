import Foundation
import Testing

@testable import AuditLog

/// Sinks are fed from the file: a sink that is down loses nothing, one that stalls holds back
/// no append.
@Suite struct SinkTests {
    private func fastRetry(_ name: String) -> AuditForwarder.Configuration {
        .init(name: name, batchSize: 40, initialBackoff: 0.02, maxBackoff: 0.2, pollInterval: 0.05)
    }

    @Test func theHTTPSinkDeliversEverythingAfterTheServerComesBack() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let port = try unusedLoopbackPort()
        let sink = try HTTPSink(url: "http://127.0.0.1:\(port)/logs", format: .opaDecisionLog(.init(labels: ["id": "test"])),
                                timeoutSeconds: 2)
        let writer = try makeWriter(temporary.audit)
        let forwarder = try AuditForwarder(directory: temporary.audit, sink: sink, configuration: fastRetry("http"),
                                           logger: testLogger)
        writer.onAppend { forwarder.wake() }
        forwarder.start()
        defer { forwarder.stop() }
        for index in 0..<100 { try writer.append(decisionEvent(index)) }
        // Nobody listens: nothing is delivered, and the cursor has not moved.
        #expect(!forwarder.waitUntilDelivered(1, timeout: 0.5))
        #expect(forwarder.deliveredSeq == 0)

        // The server comes back and refuses the first batch once more before accepting.
        let server = try TestHTTPServer(port: port, failFirst: 1)
        defer { server.stop() }
        #expect(forwarder.waitUntilDelivered(100, timeout: 60))
        let events = try server.receivedBodies.flatMap { body in
            try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]])
        }
        let ids = events.compactMap { $0["decision_id"] as? String }
        #expect(ids == (1...100).map { "s1/\($0)" }, "every record exactly once, in order")
        #expect(events.first?["path"] as? String == "cordon/broker/decision")
        #expect((events.first?["labels"] as? [String: String])?["id"] == "test")
        #expect(server.heads.allSatisfy { $0.hasPrefix("POST /logs HTTP/1.1") && $0.contains("Content-Encoding: gzip") })
        let cursor = try String(contentsOfFile: temporary.audit.path + "/sinks/http.cursor", encoding: .utf8)
        #expect(cursor == "100\n")
    }

    @Test func aRestartedForwarderResumesFromItsCursor() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let server = try TestHTTPServer()
        defer { server.stop() }
        let sink = try HTTPSink(url: "http://127.0.0.1:\(server.port)/hook", format: .records)
        try writeRecords(temporary.audit, count: 30)
        let first = try AuditForwarder(directory: temporary.audit, sink: sink, configuration: fastRetry("hook"),
                                       logger: testLogger)
        first.start()
        #expect(first.waitUntilDelivered(30, timeout: 30))
        first.stop()
        try writeRecords(temporary.audit, count: 20)
        let second = try AuditForwarder(directory: temporary.audit, sink: sink, configuration: fastRetry("hook"),
                                        logger: testLogger)
        #expect(second.deliveredSeq == 30)
        second.start()
        #expect(second.waitUntilDelivered(50, timeout: 30))
        second.stop()
        let seqs = try server.receivedBodies.flatMap { body in
            try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]]).compactMap { $0["seq"] as? Int }
        }
        #expect(seqs == Array(1...50))
    }

    /// A sink that blocks in `deliver` until released.
    final class StalledSink: AuditSink, @unchecked Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let delivered = Collected<UInt64>()
        private let lock = NSLock()
        private var stalled = true
        func deliver(_ records: [(record: AuditRecord, line: [UInt8])]) throws {
            if lock.withLock({ stalled }) {
                entered.signal()
                release.wait()
                lock.withLock { stalled = false }
            }
            delivered.append(contentsOf: records.map(\.record.seq))
        }
    }

    @Test func aStalledSinkDoesNotHoldBackAppends() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let sink = StalledSink()
        let writer = try makeWriter(temporary.audit, mode: .required)
        let forwarder = try AuditForwarder(directory: temporary.audit, sink: sink, configuration: fastRetry("stalled"),
                                           logger: testLogger)
        writer.onAppend { forwarder.wake() }
        forwarder.start()
        try writer.append(decisionEvent(0))
        sink.entered.wait()
        // The sink is now blocked inside deliver; every append must still complete.
        var seqs = [UInt64]()
        for index in 1..<2_000 { seqs.append(try #require(try writer.append(decisionEvent(index)))) }
        #expect(seqs == Array(2...2_000))
        #expect(forwarder.deliveredSeq == 0)
        #expect(try AuditVerifier.verify(path: temporary.audit.path).records == 2_000)
        sink.release.signal()
        #expect(forwarder.waitUntilDelivered(2_000, timeout: 60))
        forwarder.stop()
        #expect(sink.delivered.values == Array(1...2_000))
    }

    @Test func syslogOverUDPIsRFC5424WithTheRecordAsMessage() throws {
        let (receiver, port) = try loopbackListener(type: Int32(SOCK_DGRAM.rawValue))
        defer { close(receiver) }
        let record = AuditRecord(seq: 4, prev: AuditRecord.genesis, event: decisionEvent(1, outcome: .deny))
        let line = Array(try JSONEncoder().encode(record))
        let sink = SyslogSink(transport: .udp(host: "127.0.0.1", port: port), hostname: "box")
        try sink.deliver([(record, line)])
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let got = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, 0) }
        let message = String(decoding: buffer[..<max(0, got)], as: UTF8.self)
        // Facility 13 (log audit) * 8 + severity 4 (warning) for a denial.
        #expect(message.hasPrefix("<108>1 \(record.event.time) box cordon 100 decision [cordon@32473 session=\"s1\" seq=\"4\" decision=\"deny\"] {"))
        #expect(message.hasSuffix(String(decoding: line, as: UTF8.self)))
    }

    @Test func syslogOverTCPUsesOctetCounting() throws {
        let (listener, port) = try loopbackListener(type: Int32(SOCK_STREAM.rawValue))
        defer { close(listener) }
        let records = (1...3).map { AuditRecord(seq: UInt64($0), prev: AuditRecord.genesis, event: decisionEvent($0)) }
        let sink = SyslogSink(transport: .tcp(host: "127.0.0.1", port: port), hostname: "box")
        try sink.deliver(records.map { ($0, Array(try! JSONEncoder().encode($0))) })
        let connection = accept(listener, nil, nil)
        defer { close(connection) }
        var stream = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if got <= 0 { break }
            stream += buffer[..<got]
        }
        var messages = [String]()
        var index = 0
        while index < stream.count {
            let space = try #require(stream[index...].firstIndex(of: 32))
            let length = try #require(Int(String(decoding: stream[index..<space], as: UTF8.self)))
            messages.append(String(decoding: stream[(space + 1)..<(space + 1 + length)], as: UTF8.self))
            index = space + 1 + length
        }
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.hasPrefix("<110>1 ") })
    }

    @Test func syslogOverAUnixDatagramSocket() throws {
        let temporary = TemporaryDirectory()
        defer { temporary.cleanup() }
        let path = temporary.path + "/log"
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(receiver) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        let record = AuditRecord(seq: 1, prev: AuditRecord.genesis, event: decisionEvent(1))
        try SyslogSink(transport: .unix(path: path)).deliver([(record, Array("{}".utf8))])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let got = buffer.withUnsafeMutableBytes { recv(receiver, $0.baseAddress, $0.count, 0) }
        #expect(String(decoding: buffer[..<max(0, got)], as: UTF8.self).hasSuffix("] {}"))
    }
}
