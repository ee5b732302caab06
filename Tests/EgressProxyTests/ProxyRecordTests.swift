import EgressProxy
import Foundation
import Testing

/// Records wait for the caller lookup; one that is still waiting when the session's event
/// loop shuts down must still reach the sink.
@Suite struct ProxyRecordTests {
    /// Answers only once the test lets it, after the proxy was stopped.
    final class HeldCallerLookup: CallerLookup {
        let answer = DispatchSemaphore(value: 0)
        func caller(client: SocketEndpoint, server: SocketEndpoint) -> Caller? {
            answer.wait()
            return Caller(pid: 4242, executable: "/held")
        }
    }

    @Test func aRecordWaitingForItsCallerOutlivesTheEventLoop() async throws {
        let lookup = HeldCallerLookup()
        let proxy = try await ProxyFixture(allow: [], names: [:], callerLookup: lookup)
        let client = try RawClient(port: proxy.port)
        client.send("GET http://denied.test/ HTTP/1.1\r\nHost: denied.test\r\n\r\n")
        #expect(client.receive(until: "\r\n\r\n").hasPrefix("HTTP/1.1 403"))
        try await proxy.stop()
        #expect(proxy.sink.records.isEmpty, "the record waits for its caller")
        lookup.answer.signal()
        #expect(proxy.session.waitForRecords(seconds: 30))
        let record = proxy.sink.records.first
        #expect(record?.outcome == .deny && record?.host == "denied.test")
        #expect(record?.callerPID == 4242 && record?.callerExecutable == "/held")
    }
}
