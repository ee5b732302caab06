import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A running `cordon run` on the per-user control socket: listed by `cordon sessions`, widened
/// and narrowed live by `cordon net`, and out of reach of the sandboxed program itself.
@Suite struct RunNetworkControlTests {
    /// Speaks to the proxy by hand, step by step as the test outside allows: a plain request,
    /// then (after `allowed`) the same request and a tunnel, then (after `denied`) whether the
    /// tunnel was cut and what a new one gets.
    static let stepsScript = #"""
    import os, socket, sys, time
    PROXY = ("127.0.0.1", 3128)
    def wait(name):
        while not os.path.exists(name): time.sleep(0.02)
    def say(name, text):
        with open(name + ".tmp", "w") as f: f.write(text)
        os.rename(name + ".tmp", name)
    def head(s):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(1)
            if not chunk: break
            data += chunk
        return data.decode(errors="replace")
    def tunnel(port):
        s = socket.create_connection(PROXY, timeout=20)
        s.sendall(f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        return s, head(s).split("\r\n")[0]
    def get(port):
        s = socket.create_connection(PROXY, timeout=20)
        s.sendall(f"GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        text = head(s)
        length = [int(l.split(":", 1)[1]) for l in text.split("\r\n") if l.lower().startswith("content-length:")]
        body = b""
        while length and len(body) < length[0]:
            chunk = s.recv(65536)
            if not chunk: break
            body += chunk
        return text + body.decode(errors="replace")
    http_port, echo_port = int(sys.argv[1]), int(sys.argv[2])
    os.chdir("io")  # the workspace's top level takes no new files
    say("before", get(http_port))
    wait("allowed")
    say("after", get(http_port))
    s, status = tunnel(echo_port)
    s.sendall(b"ping")
    say("tunnel", status + " | " + s.recv(4).decode())
    wait("denied")
    try:
        outcome = "closed" if s.recv(16) == b"" else "data"
    except socket.timeout:
        outcome = "open"
    except OSError:
        outcome = "closed"
    say("end", outcome + " | " + tunnel(echo_port)[1])
    """#

    @Test func aSessionWithoutNetworkIsListedWidenedAndCutLive() throws {
        let tree = try TestTree()
        let http = try LoopbackHTTPServer(body: "widened-service")
        let echo = try LoopbackEchoServer()
        // Positive control: both servers answer on the host.
        #expect(try RunNetworkTests.hostCurl("http://127.0.0.1:\(http.port)/") == "widened-service")
        let probe = try hostRun(["python3", "-c", "import socket; s=socket.create_connection(('127.0.0.1', \(echo.port))); s.sendall(b'hi'); print(s.recv(2).decode())"])
        #expect(probe.stdout == "hi\n", "\(probe.stderr)")

        try tree.write("home/project/steps.py", Self.stepsScript)
        try FileManager.default.createDirectory(atPath: tree.workspace + "/io", withIntermediateDirectories: true)
        let run = try BackgroundCordon(tree, ["run", "--", "/usr/bin/python3", "steps.py", "\(http.port)", "\(echo.port)"])
        defer { run.kill() }

        let before = tree.waitForFile("io/before")
        #expect(before?.hasPrefix("HTTP/1.1 403") == true, "\(before ?? "nothing")")
        let id = try #require(try tree.sessionID(commandContaining: "steps.py"), "cordon sessions did not list the session")

        for endpoint in ["127.0.0.1:\(http.port)", "127.0.0.1:\(echo.port)"] {
            let allow = try tree.cordon(["net", "allow", "--session", id, endpoint])
            #expect(allow.status == 0, "\(allow.stderr)")
        }
        let list = try tree.cordon(["net", "list", "--session", id, "--format", "json"])
        #expect(list.stdout.contains("127.0.0.1:\(http.port)") && list.stdout.contains("127.0.0.1:\(echo.port)"), "\(list.stdout)")
        tree.signal("io/allowed")
        let after = tree.waitForFile("io/after")
        #expect(after?.hasPrefix("HTTP/1.1 200") == true && after?.hasSuffix("widened-service") == true, "\(after ?? "nothing")")
        let tunnel = tree.waitForFile("io/tunnel")
        #expect(tunnel == "HTTP/1.1 200 Connection established | ping", "\(tunnel ?? "nothing")")

        let deny = try tree.cordon(["net", "deny", "--session", id, "127.0.0.1:\(echo.port)", "--format", "json"])
        #expect(deny.status == 0, "\(deny.stderr)")
        #expect(deny.stdout.contains("\"tunnelsCut\" : 1"), "\(deny.stdout)")
        tree.signal("io/denied")
        let end = tree.waitForFile("io/end")
        #expect(end == "closed | HTTP/1.1 403 Forbidden", "\(end ?? "nothing")")

        let result = run.wait()
        #expect(result.status == 0, "\(result.stderr)")
        // Unregistered at exit.
        #expect(try !tree.sessions().contains { $0["id"] as? String == id })
    }

    @Test func theSandboxCannotReachTheControlSocket() throws {
        let tree = try TestTree()
        let socketPath = tree.root + "/run/cordon/control.sock"
        let script = """
        while [ ! -e go ]; do sleep 0.02; done
        for p in \(socketPath) \(tree.root)/run/cordon /tmp/cordon-$(id -u); do
          if [ -e "$p" ]; then echo "visible $p"; else echo "absent $p"; fi
        done
        /usr/bin/python3 -c "
        import socket
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect('\(socketPath)'); print('connected')
        except OSError as e:
            print('refused', e.errno)
        "
        """
        let run = try BackgroundCordon(tree, ["run", "--", "sh", "-c", script])
        defer { run.kill() }
        let id = try #require(try tree.sessionID(commandContaining: "visible"), "cordon sessions did not list the session")
        // Positive control: from outside the socket is there and answers this user.
        #expect(FileManager.default.fileExists(atPath: socketPath))
        let list = try tree.cordon(["sessions"])
        #expect(list.status == 0 && list.stdout.contains(id), "\(list.stdout) \(list.stderr)")

        // The same uid in another user namespace is refused by the peer check.
        let other = try hostRun([
            "unshare", "-U", "--map-root-user", "python3", "-c",
            """
            import socket
            s = socket.socket(socket.AF_UNIX); s.connect('\(socketPath)')
            s.sendall(b'{"operation":"sessions"}\\n'); print(s.recv(4096).decode())
            """,
        ])
        #expect(other.stdout.contains("\"ok\":false") && other.stdout.contains("another user namespace"), "\(other.stdout) \(other.stderr)")
        #expect(!other.stdout.contains(id))

        tree.signal("go")
        let result = run.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("absent \(socketPath)"), "\(result.stdout)")
        #expect(result.stdout.contains("absent \(tree.root)/run/cordon\n"), "\(result.stdout)")
        #expect(result.stdout.contains("refused 2"), "\(result.stdout)")
        #expect(!result.stdout.contains("visible"), "\(result.stdout)")
        #expect(!result.stdout.contains("connected"), "\(result.stdout)")
    }
}
