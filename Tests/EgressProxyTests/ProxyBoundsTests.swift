import EgressProxy
import Foundation
import NIOCore
import Testing

/// Bounds: a slow or hostile client cannot hold the supervisor's resources.
@Suite(.serialized) struct ProxyBoundsTests {
    @Test func anOversizedRequestHeadIsRefused() async throws {
        let proxy = try await ProxyFixture(allow: ["allowed.test:80"], names: [:], limits: EgressLimits(maxHeaderBytes: 4096))
        let client = try RawClient(port: proxy.port)
        client.send("GET http://allowed.test/ HTTP/1.1\r\nHost: allowed.test\r\nX-Big: \(String(repeating: "a", count: 8192))\r\n\r\n")
        let reply = client.receive(until: "\r\n\r\n")
        #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply)")
        #expect(proxy.resolver.queries.isEmpty)
        try await proxy.stop()
    }

    @Test func aSilentClientIsClosedAtTheHandshakeBound() async throws {
        let proxy = try await ProxyFixture(allow: [], names: [:], limits: EgressLimits(handshakeTimeout: .milliseconds(300)))
        let client = try RawClient(port: proxy.port)
        #expect(client.receive() == [], "closed by the proxy, not by the test's read timeout")
        let record = await proxy.sink.waitFor { $0.reason?.contains("handshake") == true }
        #expect(record?.outcome == .deny)
        try await proxy.stop()
    }

    @Test func connectionsBeyondTheSessionBoundAreClosed() async throws {
        let proxy = try await ProxyFixture(allow: [], names: [:], limits: EgressLimits(maxConnections: 2))
        let first = try RawClient(port: proxy.port)
        let second = try RawClient(port: proxy.port)
        let third = try RawClient(port: proxy.port)
        #expect(third.receive() == [])
        let record = await proxy.sink.waitFor { $0.reason?.contains("connection bound") == true }
        #expect(record?.outcome == .deny)
        // The first two are still open: a request on one of them gets an answer.
        first.send("GET http://nothing.test/ HTTP/1.1\r\nHost: nothing.test\r\n\r\n")
        #expect(first.receive(until: "\r\n\r\n").hasPrefix("HTTP/1.1 403"))
        _ = second
        try await proxy.stop()
    }
}
