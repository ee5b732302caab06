import EgressProxy
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Real clients through the proxy to real loopback servers: what an allowed name may do.
@Suite(.serialized) struct ProxyClientTests {
    /// Grants the name and the loopback address it resolves to (a name may reach a loopback
    /// address only when a capability names that address literally).
    func fixture(_ origin: Origin, ports: [UInt16]) async throws -> ProxyFixture {
        let allow = ports.flatMap { ["allowed.test:\($0)", "127.0.0.1:\($0)"] }
        return try await ProxyFixture(allow: allow, names: ["allowed.test": ["127.0.0.1"]])
    }

    @Test func plainHTTPWithCurlKeepAliveAndChunkedBodies() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin, ports: [origin.httpPort])
        let base = "http://allowed.test:\(origin.httpPort)"
        let r = try run(["curl", "-sS", "-v", "-x", proxy.url, "\(base)/one", "\(base)/chunked"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("hello /one host=allowed.test:\(origin.httpPort)"))
        #expect(r.stdout.contains("first,second,third"))
        #expect(r.stderr.contains("Re-using existing connection") || r.stderr.contains("Reusing existing"), "keep-alive: \(r.stderr)")
        let post = try run(
            ["curl", "-sS", "-x", proxy.url, "-H", "Transfer-Encoding: chunked", "--data-binary", "@-", "\(base)/echo"],
            input: String(repeating: "x", count: 100_000))
        #expect(post.stdout == "received 100000 bytes", "\(post.stderr)")
        // curl sends `Expect: 100-continue` for large bodies: the interim response is relayed.
        let large = try run(
            ["curl", "-sS", "-v", "-x", proxy.url, "--data-binary", "@-", "\(base)/echo"], input: String(repeating: "y", count: 3_000_000))
        #expect(large.stdout == "received 3000000 bytes", "\(large.stderr)")
        // A response larger than the relay's buffers arrives whole.
        let big = try run(["curl", "-sS", "-o", "/dev/null", "-w", "%{size_download}", "-x", proxy.url, "\(base)/large"])
        #expect(big.stdout == "\(8 << 20)", "\(big.stderr)")
        // A HEAD response announces a length but carries no body; the next request still works.
        let head = try run(["curl", "-sS", "-I", "-x", proxy.url, "\(base)/h", "--next", "-x", proxy.url, "\(base)/after"])
        #expect(head.stdout.contains("Content-Length: 12345") && head.stdout.contains("hello /after"), "\(head.stdout) \(head.stderr)")
        let record = await proxy.sink.waitFor { $0.kind == .http && $0.outcome == .allow }
        #expect(record?.capability == "network:allowed.test:\(origin.httpPort)")
        #expect(record?.address == "127.0.0.1")
        #expect((record?.bytesReceived ?? 0) > 0 && (record?.bytesSent ?? 0) > 0)
        try await proxy.stop()
    }

    /// The record names the calling process: here the test process itself. The lookup runs
    /// beside the request and needs the client's socket still open, so the client holds it
    /// until the lookup has answered.
    @Test func theRecordNamesTheCallingProcess() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let lookup = ObservedCallerLookup()
        let allow = ["allowed.test:\(origin.httpPort)", "127.0.0.1:\(origin.httpPort)"]
        let proxy = try await ProxyFixture(allow: allow, names: ["allowed.test": ["127.0.0.1"]], callerLookup: lookup)
        let base = "http://allowed.test:\(origin.httpPort)"
        var client: RawClient? = try RawClient(port: proxy.port)
        client?.send("GET \(base)/caller HTTP/1.1\r\nHost: allowed.test:\(origin.httpPort)\r\n\r\n")
        #expect(client?.receive(until: "hello /caller").contains("hello /caller") == true)
        let answer = await lookup.firstAnswer()
        #expect(answer??.pid == getpid(), "the lookup answered \(String(describing: answer))")
        client = nil
        let identified = await proxy.sink.waitFor { $0.kind == .http && $0.outcome == .allow }
        #expect(identified?.callerPID == getpid())
        #expect(identified?.callerExecutable == (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")))
        try await proxy.stop()
    }

    @Test func connectTunnelWithCurlPlainAndTLS() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin, ports: [origin.httpPort, origin.httpsPort])
        let plain = try run(["curl", "-sS", "-p", "-x", proxy.url, "http://allowed.test:\(origin.httpPort)/tunnelled"])
        #expect(plain.stdout.contains("hello /tunnelled"), "\(plain.stderr)")
        let tls = try run(["curl", "-sS", "--cacert", origin.certificate, "-x", proxy.url, "https://allowed.test:\(origin.httpsPort)/secure"])
        #expect(tls.stdout.contains("hello /secure host=allowed.test:\(origin.httpsPort)"), "\(tls.stderr)")
        let record = await proxy.sink.waitFor { $0.kind == .httpConnect && $0.port == origin.httpsPort }
        #expect(record?.outcome == .allow)
        try await proxy.stop()
    }

    @Test func pythonURLLib() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin, ports: [origin.httpPort])
        let code = """
            import urllib.request
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": "\(proxy.url)"}))
            print(opener.open("http://allowed.test:\(origin.httpPort)/py").read().decode())
            """
        let r = try run(["python3", "-c", code])
        #expect(r.stdout.contains("hello /py"), "\(r.stderr)")
        try await proxy.stop()
    }

    @Test func socks5WithNamesResolvedByTheProxy() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin, ports: [origin.httpPort, origin.httpsPort])
        let socks = "127.0.0.1:\(proxy.port)"
        let r = try run(["curl", "-sS", "--socks5-hostname", socks, "http://allowed.test:\(origin.httpPort)/socks"])
        #expect(r.stdout.contains("hello /socks"), "\(r.stderr)")
        let tls = try run(["curl", "-sS", "--cacert", origin.certificate, "--socks5-hostname", socks, "https://allowed.test:\(origin.httpsPort)/s"])
        #expect(tls.stdout.contains("hello /s "), "\(tls.stderr)")
        let record = await proxy.sink.waitFor { $0.kind == .socks5 && $0.outcome == .allow }
        #expect(record?.host == "allowed.test")
        try await proxy.stop()
    }

    @Test func upgradeBecomesATunnel() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await fixture(origin, ports: [origin.httpPort])
        let client = try RawClient(port: proxy.port)
        client.send(
            "GET http://allowed.test:\(origin.httpPort)/upgrade HTTP/1.1\r\nHost: allowed.test:\(origin.httpPort)\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
        let head = client.receive(until: "\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 101"), "\(head)")
        client.send("ping over the upgraded connection")
        #expect(client.receive(until: "connection") == "ping over the upgraded connection")
        try await proxy.stop()
    }

    @Test func hostServiceForwarderServesDirectClients() async throws {
        let origin = try Origin()
        defer { origin.stop() }
        let proxy = try await ProxyFixture(allow: ["localhost:\(origin.httpPort)"], names: [:])
        let (fd, port) = try listeningSocket()
        let forwarder = try await HostServiceForwarder.start(
            session: proxy.session, service: .init(address: "127.0.0.1", port: origin.httpPort), listeningSocket: fd,
            group: proxy.group
        ).get()
        let r = try run(["curl", "-sS", "--noproxy", "*", "http://127.0.0.1:\(port)/direct"])
        #expect(r.stdout.contains("hello /direct"), "\(r.stderr)")
        let record = await proxy.sink.waitFor { $0.kind == .forward }
        #expect(record?.outcome == .allow)
        #expect(record?.capability == "network:localhost:\(origin.httpPort)")
        // Withdrawn: the listener still accepts, but connections are closed unforwarded.
        proxy.session.deny(try .init(parsing: "localhost:\(origin.httpPort)"))
        let refused = try run(["curl", "-sS", "--noproxy", "*", "http://127.0.0.1:\(port)/direct"])
        #expect(refused.status != 0)
        #expect(!refused.stdout.contains("hello"))
        try await forwarder.close().get()
        try await proxy.stop()
    }
}
