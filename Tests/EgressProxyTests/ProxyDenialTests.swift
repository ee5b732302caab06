import EgressProxy
import Foundation
import SandboxPolicy
import Testing

/// What the proxy refuses, and how the client and the record are told.
@Suite(.serialized) struct ProxyDenialTests {
    func fixture(_ origin: Origin) async throws -> ProxyFixture {
        let p = origin.httpPort
        return try await ProxyFixture(
            allow: ["allowed.test:\(p)", "127.0.0.1:\(p)", "rebind.test:\(p)", "meta.test:80", "private.test:\(p)"],
            names: [
                "allowed.test": ["127.0.0.1"], "other.test": ["127.0.0.1"], "rebind.test": ["127.0.0.3"],
                "meta.test": ["169.254.169.254"], "private.test": ["10.20.30.40", "fd00::1"],
            ])
    }

    /// `curl -i` through the proxy: the status line, headers and body the client got.
    func fetch(_ proxy: ProxyFixture, _ url: String, _ extra: [String] = []) throws -> String {
        try run(["curl", "-sS", "-i", "-x", proxy.url] + extra + [url]).stdout
    }

    @Test func aNameWithoutCapabilityNeverReachesTheResolver() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin)
        let url = "http://other.test:\(origin.httpPort)/"
        let plain = try fetch(proxy, url)
        #expect(plain.hasPrefix("HTTP/1.1 403"), "\(plain)")
        #expect(plain.contains("X-Cordon-Deny: network:other.test:\(origin.httpPort)"))
        let tunnel = try run(["curl", "-sS", "-p", "-x", proxy.url, url])
        #expect(tunnel.status != 0 && tunnel.stderr.contains("403"), "\(tunnel.stderr)")
        let socks = try run(["curl", "-sS", "--socks5-hostname", "127.0.0.1:\(proxy.port)", url])
        // curl prints the SOCKS5 reply code: 2 is "connection not allowed by ruleset".
        #expect(socks.status == 97 && socks.stderr.contains("(2)"), "\(socks.stderr)")
        #expect(!proxy.resolver.queries.contains("other.test"))
        let record = await proxy.sink.waitFor { $0.host == "other.test" }
        #expect(record?.outcome == .deny)
        #expect(record?.reason?.contains("no network capability") == true)
        // Positive control: the same proxy resolves and serves a granted name.
        #expect(try fetch(proxy, "http://allowed.test:\(origin.httpPort)/").hasPrefix("HTTP/1.1 200"))
        #expect(proxy.resolver.queries.contains("allowed.test"))
        try await proxy.stop()
    }

    @Test func aWrongPortIsRefused() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin)
        let out = try fetch(proxy, "http://allowed.test:\(origin.echoPort)/")
        #expect(out.hasPrefix("HTTP/1.1 403") && out.contains("X-Cordon-Deny: network:allowed.test:\(origin.echoPort)"), "\(out)")
        try await proxy.stop()
    }

    @Test func anIPLiteralNeedsACapabilityNamingIt() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin)
        let denied = try fetch(proxy, "http://127.0.0.2:\(origin.httpPort)/")
        #expect(denied.hasPrefix("HTTP/1.1 403") && denied.contains("X-Cordon-Deny: network:127.0.0.2:\(origin.httpPort)"), "\(denied)")
        let metadata = try fetch(proxy, "http://169.254.169.254/latest/meta-data/")
        #expect(metadata.hasPrefix("HTTP/1.1 403") && metadata.contains("X-Cordon-Deny: network:169.254.169.254:80"), "\(metadata)")
        // Positive control: the literal that is named works.
        #expect(try fetch(proxy, "http://127.0.0.1:\(origin.httpPort)/").hasPrefix("HTTP/1.1 200"))
        try await proxy.stop()
    }

    @Test func aGrantedNameResolvingToAProtectedAddressIsRefused() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin)
        let rebound = try fetch(proxy, "http://rebind.test:\(origin.httpPort)/")
        #expect(rebound.hasPrefix("HTTP/1.1 403") && rebound.contains("X-Cordon-Deny: network:127.0.0.3:\(origin.httpPort)"), "\(rebound)")
        let metadata = try fetch(proxy, "http://meta.test/")
        #expect(metadata.hasPrefix("HTTP/1.1 403") && metadata.contains("link-local"), "\(metadata)")
        let privateRange = try fetch(proxy, "http://private.test:\(origin.httpPort)/")
        #expect(privateRange.hasPrefix("HTTP/1.1 403") && privateRange.contains("(private)"), "\(privateRange)")
        let record = await proxy.sink.waitFor { $0.host == "rebind.test" }
        #expect(record?.outcome == .deny && record?.address == nil)
        try await proxy.stop()
    }

    @Test func aHostHeaderNamingAnotherTargetIsRefused() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin)
        let out = try fetch(proxy, "http://allowed.test:\(origin.httpPort)/", ["-H", "Host: evil.test"])
        #expect(out.hasPrefix("HTTP/1.1 403") && out.contains("X-Cordon-Deny: host-mismatch"), "\(out)")
        try await proxy.stop()
    }

    @Test func socksCommandsOtherThanConnectAreRefused() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin)
        let client = try RawClient(port: proxy.port)
        client.send([5, 1, 0])
        #expect(client.receive(atMost: 2) == [5, 0])
        client.send([5, 3, 0, 1, 127, 0, 0, 1, 0, 53])  // UDP ASSOCIATE
        #expect(client.receive(atMost: 10)?.prefix(2) == [5, 7])
        try await proxy.stop()
    }

    @Test func aLiveDenyCutsAnOpenTunnel() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let echo = origin.echoPort
        let proxy = try await ProxyFixture(allow: ["allowed.test:\(echo)", "127.0.0.1:\(echo)"], names: ["allowed.test": ["127.0.0.1"]])
        let client = try RawClient(port: proxy.port)
        client.send("CONNECT allowed.test:\(echo) HTTP/1.1\r\nHost: allowed.test:\(echo)\r\n\r\n")
        #expect(client.receive(until: "\r\n\r\n").hasPrefix("HTTP/1.1 200"))
        client.send("before")
        #expect(client.receive() == Array("before".utf8))
        let cut = proxy.session.deny(try NetworkEndpointPattern(parsing: "allowed.test:\(echo)"))
        #expect(cut == 1)
        #expect(client.receive() == [], "the tunnel is closed, not merely idle")
        let record = await proxy.sink.waitFor { $0.kind == .httpConnect && $0.reason != nil }
        #expect(record?.reason?.contains("withdrawn") == true)
        #expect(record?.bytesSent == 6 && record?.bytesReceived == 6)
        let again = try run(["curl", "-sS", "-p", "-x", proxy.url, "http://allowed.test:\(echo)/"])
        #expect(again.stderr.contains("403"), "\(again.stderr)")
        try await proxy.stop()
    }
}
