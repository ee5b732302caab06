import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a sandboxed program can and cannot reach on its own, each with a positive control on
/// the host: UDP, DNS, SOCKS5 through the proxy, IPv6 host services, and its own loopback
/// servers (the Landlock connect rules).
@Suite struct RunNetworkLayerTests {
    @Test func udpToAHostListenerIsRefused() throws {
        let tree = try TestTree()
        let receiver = try LoopbackUDPReceiver()
        let send = { (text: String) in
            """
            import socket
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.sendto(b'\(text)', ('127.0.0.1', \(receiver.port)))
                print('sent')
            except OSError as e:
                print('refused', e.errno)
            """
        }
        // Positive control: the same program reaches the receiver from the host.
        #expect(try hostRun(["python3", "-c", send("outside")]).stdout == "sent\n")
        usleep(100_000)
        #expect(receiver.drain() == ["outside"])

        let result = try tree.cordon(["run", "--", "/usr/bin/python3", "-c", send("inside")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("refused"), "\(result.stdout)")
        usleep(100_000)
        #expect(receiver.drain().isEmpty)
    }

    @Test func namesDoNotResolveInsideButDoThroughTheProxy() throws {
        let tree = try TestTree()
        let server = try LoopbackHTTPServer(body: "pinned-service")
        let name = "pinned.cordon-test"
        // The test's name map: a hosts file only the supervisor reads.
        try tree.write("proxy-hosts", "127.0.0.1 \(name)\n")
        #expect(try RunNetworkTests.hostCurl("http://127.0.0.1:\(server.port)/") == "pinned-service")
        let script = """
        getent hosts \(name); echo "getent=$?"
        getent hosts localhost >/dev/null; echo "getent-localhost=$?"
        /usr/bin/python3 -c "
        import socket
        try:
            print('resolved', socket.getaddrinfo('\(name)', \(server.port)))
        except OSError as e:
            print('python-unresolved')
        "
        curl -s -m 10 http://\(name):\(server.port)/; echo " http=$?"
        curl -s -m 10 -p http://\(name):\(server.port)/; echo " tunnel=$?"
        curl -s -m 10 --socks5-hostname 127.0.0.1:3128 http://\(name):\(server.port)/; echo " socks5=$?"
        curl -s -m 10 --socks5-hostname 127.0.0.1:3128 http://other.cordon-test:\(server.port)/; echo " socks5-unnamed=$?"
        """
        let result = try tree.cordon(
            ["run", "--allow-net", "\(name):\(server.port)", "--allow-net", "127.0.0.1:\(server.port)", "--", "sh", "-c", script],
            environment: ["CORDON_EGRESS_HOSTS": tree.root + "/proxy-hosts"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("getent=2"), "\(out)")
        #expect(out.contains("getent-localhost=0"), "\(out)")
        #expect(out.contains("python-unresolved") && !out.contains("resolved ["), "\(out)")
        #expect(out.contains("pinned-service http=0"), "\(out)")
        #expect(out.contains("pinned-service tunnel=0"), "\(out)")
        #expect(out.contains("pinned-service socks5=0"), "\(out)")
        // curl's exit status 97: the SOCKS5 server refused (reply 2, not allowed by ruleset).
        #expect(out.contains(" socks5-unnamed=97"), "\(out)")
    }

    @Test func aLocalhostGrantForwardsTheHostsIPv6Service() throws {
        let tree = try TestTree()
        let echo = try LoopbackEchoServer(address: "::1")
        let program = """
        import socket
        try:
            s = socket.create_connection(('::1', \(echo.port)), timeout=10)
            s.sendall(b'over-v6')
            print(s.recv(7).decode())
        except OSError as e:
            print('failed', e)
        """
        // Positive control: the host's service answers on ::1.
        #expect(try hostRun(["python3", "-c", program]).stdout == "over-v6\n")
        let granted = try tree.cordon(["run", "--allow-net", "localhost:\(echo.port)", "--", "/usr/bin/python3", "-c", program])
        #expect(granted.status == 0, "\(granted.stderr)")
        #expect(granted.stdout == "over-v6\n", "\(granted.stdout)")
        // Without the grant nothing listens on that port inside.
        let refused = try tree.cordon(["run", "--", "/usr/bin/python3", "-c", program])
        #expect(refused.stdout.hasPrefix("failed"), "\(refused.stdout)")
    }

    /// The program's own servers: on a common development port and on port 0 (the ephemeral
    /// range Cordon narrows) it reaches them; on another port Landlock refuses the connect.
    static let ownServers = """
    import socket, threading
    def serve(port):
        s = socket.socket()
        s.bind(('127.0.0.1', port))
        s.listen(4)
        def loop():
            while True:
                c, _ = s.accept()
                c.sendall(b'own')
                c.close()
        threading.Thread(target=loop, daemon=True).start()
        return s.getsockname()[1]
    for label, port in [('dev', 8000), ('zero', 0), ('other', 12345)]:
        port = serve(port)
        try:
            c = socket.create_connection(('127.0.0.1', port), timeout=5)
            print(label, port, c.recv(3).decode())
        except OSError as e:
            print(label, port, 'refused', e.errno)
    """

    @Test func theProgramReachesItsOwnServersOnGrantedPortsOnly() throws {
        let tree = try TestTree()
        // Positive control: on the host all three connect.
        let host = try hostRun(["python3", "-c", Self.ownServers.replacingOccurrences(of: "8000", with: "0").replacingOccurrences(of: "12345", with: "0")])
        #expect(host.stdout.components(separatedBy: " own\n").count == 4, "\(host.stdout)")

        let result = try tree.cordon(["run", "--allow-net", "127.0.0.1:18181", "--", "/usr/bin/python3", "-c", Self.ownServers])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("dev 8000 own"), "\(lines)")
        let zero = try #require(lines.first { $0.hasPrefix("zero ") }?.split(separator: " "))
        #expect(zero.count == 3 && zero[2] == "own", "\(lines)")
        #expect((61000...61255).contains(Int(zero[1]) ?? 0), "\(lines)")
        #expect(lines.contains("other 12345 refused 13"), "\(lines)")

        // --allow-local-port opens one more.
        let widened = try tree.cordon(["run", "--allow-local-port", "12345", "--", "/usr/bin/python3", "-c", Self.ownServers])
        #expect(widened.stdout.contains("other 12345 own"), "\(widened.stdout)")
    }

    @Test func withLandlockAloneAHostPortNotGrantedIsRefused() throws {
        let tree = try TestTree()
        let echo = try LoopbackEchoServer()
        let program = """
        import socket
        try:
            s = socket.create_connection(('127.0.0.1', \(echo.port)), timeout=5)
            s.sendall(b'hi')
            print(s.recv(2).decode())
        except OSError as e:
            print('refused', e.errno)
        """
        // Positive controls: the host reaches the server, and so does the same sandbox once
        // --allow-local-port names the port (without its namespace the host's network is the
        // sandbox's, so Landlock is all that holds here).
        #expect(try hostRun(["python3", "-c", program]).stdout == "hi\n")
        #expect((61000...61255).contains(Int(echo.port)) == false)
        let result = try tree.cordon(["run", "--layers", "landlock", "--", "/usr/bin/python3", "-c", program])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "refused 13\n", "\(result.stdout)")
        let granted = try tree.cordon(["run", "--layers", "landlock", "--allow-local-port", "\(echo.port)", "--", "/usr/bin/python3", "-c", program])
        #expect(granted.stdout == "hi\n", "\(granted.stdout) \(granted.stderr)")
    }
}
