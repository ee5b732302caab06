import Foundation
import Testing

/// Real work inside `cordon run`: what agents do all day must keep working under every layer.
@Suite("Programs inside the sandbox")
struct FunctionalTests {
    /// A workspace (a git repository) inside a fresh HOME, owned by `user`.
    final class Workspace {
        let user: TestUser
        let root: String
        var home: String { root + "/home" }
        var path: String { root + "/home/project" }

        init(user: TestUser) throws {
            self.user = user
            root = try EscapeFixture.makeTempDirectory("cordon-functional-\(user)")
            try FileManager.default.createDirectory(atPath: root + "/home/project", withIntermediateDirectories: true)
            try EscapeFixture.write(root + "/home/project/README", "a project\n", mode: 0o644)
            try EscapeFixture.gitInit(root + "/home/project")
            try user.own(root + "/home")
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        var environment: [String] {
            let name = user == .root ? "root" : TestUser.accountName
            return ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(home)", "USER=\(name)", "LOGNAME=\(name)",
                    "LANG=C.UTF-8", "TERM=xterm"]
        }

        /// `cordon run --workspace W -- argv` as this workspace's user.
        func run(_ argv: [String], input: ChildInput = .devNull) throws -> ChildResult {
            let cordon = try CordonBinary.path()
            return try ChildProcess.run([cordon, "run", "--workspace", path, "--"] + argv,
                                        environment: environment, directory: path, user: user, input: input)
        }
    }

    @Test("shell pipelines with sort, tr, awk, sed and grep", arguments: TestUser.allCases)
    func pipelines(user: TestUser) throws {
        let ws = try Workspace(user: user)
        let r = try ws.run(["/bin/sh", "-c",
            "printf 'pear\\napple\\nfig\\n' | sort | head -n 2 | tr a-z A-Z; echo 'one two three' | awk '{print $2}' | sed s/two/deux/ | grep -c deux"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout == "APPLE\nFIG\n1\n", "stdout: \(r.stdout) stderr: \(r.stderr)")
    }

    @Test("python3 runs and sees the workspace as its directory", arguments: TestUser.allCases)
    func python(user: TestUser) throws {
        let ws = try Workspace(user: user)
        let r = try ws.run(["/usr/bin/python3", "-c", "import os, json; print(json.dumps([sum(range(10)), os.getcwd()]))"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout == "[45, \"\(ws.path)\"]\n", "stdout: \(r.stdout) stderr: \(r.stderr)")
    }

    @Test("git commit in the workspace's existing repository lands on the host", arguments: TestUser.allCases)
    func gitCommit(user: TestUser) throws {
        let ws = try Workspace(user: user)
        let r = try ws.run(["/bin/sh", "-c",
            "echo change >> README && git add README && git -c user.name=Agent -c user.email=agent@cordon.invalid commit -q -m 'made inside' && git log --oneline | wc -l"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout == "2\n", "stdout: \(r.stdout) stderr: \(r.stderr)")
        let log = try ChildProcess.run(["/usr/bin/git", "log", "-1", "--format=%s"], environment: ws.environment, directory: ws.path, user: user)
        #expect(log.stdout == "made inside\n", "host git log: \(log.stdout) \(log.stderr)")
    }

    @Test("new files and directories can be made at the workspace's top level", arguments: TestUser.allCases)
    func createAtTopLevel(user: TestUser) throws {
        let ws = try Workspace(user: user)
        // Known gap: to keep protected names (.envrc, .mcp.json, .vscode, .idea) from being created
        // in the workspace root, the Landlock plan grants that level no make rights, so nothing new
        // can be created there. When creation at the top level works, this known issue stops
        // being recorded and the test fails until the wrapper is removed.
        withKnownIssue("nothing can be created directly in the workspace root (Landlock has no deny rules)") {
            let r = try ws.run(["/bin/sh", "-c", "echo new > notes.txt && mkdir build && echo o > build/out.o && cat notes.txt build/out.o"])
            #expect(r.exitCode == 0, "\(r.stderr)")
            #expect(r.stdout == "new\no\n", "stdout: \(r.stdout) stderr: \(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: ws.path + "/build/out.o"))
        }
    }

    @Test("a process tree runs and is reaped", arguments: TestUser.allCases)
    func processTree(user: TestUser) throws {
        let ws = try Workspace(user: user)
        let r = try ws.run(["/bin/sh", "-c",
            "for i in 1 2 3; do (sh -c \"sh -c 'echo leaf' & wait\") & done; wait; echo root"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").sorted() == ["leaf", "leaf", "leaf", "root"], "stdout: \(r.stdout) stderr: \(r.stderr)")
    }

    @Test("exit codes and signals propagate as 128+signal", arguments: TestUser.allCases)
    func exitStatus(user: TestUser) throws {
        let ws = try Workspace(user: user)
        #expect(try ws.run(["/bin/sh", "-c", "exit 7"]).exitCode == 7)
        #expect(try ws.run(["/bin/sh", "-c", "kill -TERM $$"]).exitCode == 128 + 15)
        #expect(try ws.run(["/bin/sh", "-c", "kill -KILL $$"]).exitCode == 128 + 9)
        #expect(try ws.run(["/usr/bin/true"]).exitCode == 0)
    }

    @Test("a loopback server and client talk inside the sandbox", arguments: TestUser.allCases)
    func loopback(user: TestUser) throws {
        let ws = try Workspace(user: user)
        let script = """
        import socket, threading
        server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
        port = server.getsockname()[1]
        def serve():
            conn, _ = server.accept(); conn.sendall(conn.recv(64).upper()); conn.close()
        t = threading.Thread(target=serve); t.start()
        client = socket.create_connection(("127.0.0.1", port)); client.sendall(b"ping")
        print(client.recv(64).decode(), port >= 1024); t.join()
        """
        let r = try ws.run(["/usr/bin/python3", "-c", script])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout == "PING True\n", "stdout: \(r.stdout) stderr: \(r.stderr)")
    }

    @Test("a program on the relayed terminal sees a terminal and answers typed input", arguments: TestUser.allCases)
    func relayedTerminal(user: TestUser) throws {
        let ws = try Workspace(user: user)
        let pty = try PseudoTerminal()
        pty.handOver(to: user)
        let cordon = try CordonBinary.path()
        let child = try ChildProcess(
            [cordon, "run", "--workspace", ws.path, "--", "/bin/sh", "-c",
             "test -t 0 && test -t 1 && echo is-a-terminal; echo \"dev:$(stat -c %d \"$(tty)\"):\"; read line; echo \"got:$line\"; exit 3"],
            environment: ws.environment, directory: ws.path, user: user, input: .interactive(pty))
        let greeting = pty.waitForOutput(containing: "is-a-terminal")
        pty.type("typed-by-a-person\n")
        let answer = pty.waitForOutput(containing: "got:typed-by-a-person")
        let result = try child.finish(deadline: 60)
        #expect(greeting.contains("is-a-terminal"), "terminal output: \(greeting)")
        // A terminal in the sandbox's own devpts lives on a different device than the person's.
        let hostDevice = try FileManager.default.attributesOfItem(atPath: pty.slavePath)[.systemNumber] as? Int
        let transcript = greeting + answer
        #expect(transcript.contains("dev:"), "terminal output: \(transcript)")
        #expect(!transcript.contains("dev:\(hostDevice ?? -1):"), "the program got the person's own terminal (devpts \(hostDevice ?? -1)): \(transcript)")
        #expect(answer.contains("got:typed-by-a-person"), "terminal output: \(answer)")
        #expect(result.exitCode == 3)
    }
}
