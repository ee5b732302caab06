import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real sessions through the built binary, on the real kernel.
@Suite struct RunTests {
    @Test func shellPipelinesWorkAndExitCodesPassThrough() throws {
        let tree = try TestTree()
        let pipeline = try tree.cordon(["run", "--", "sh", "-c", "printf 'b\\na\\n' | sort | tr a-z A-Z | awk '{print $1\"!\"}' | sed s/!/./"])
        #expect(pipeline.status == 0, "\(pipeline.stderr)")
        #expect(pipeline.stdout == "A.\nB.\n")
        #expect(pipeline.stderr.isEmpty)
        #expect(try tree.cordon(["run", "--", "sh", "-c", "exit 7"]).status == 7)
        #expect(try tree.cordon(["run", "--", "sh", "-c", "kill -TERM $$"]).status == 128 + SIGTERM)
        #expect(try tree.cordon(["run", "--", "cat"], input: "through stdin\n").stdout == "through stdin\n")
    }

    @Test func aMissingProgramIsReported() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["run", "--", "/usr/bin/no-such-program"])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
    }

    @Test func environmentIsCutDownUnlessGranted() throws {
        let tree = try TestTree()
        let denied = try tree.cordon(["run", "--", "sh", "-c", "echo ${SECRET_TOKEN:-none} $HOME"])
        #expect(denied.stdout == "none \(tree.home)\n")
        let granted = try tree.cordon(["run", "--capability", "env:SECRET_TOKEN", "--", "sh", "-c", "echo $SECRET_TOKEN"])
        #expect(granted.stdout == "hunter2\n")
    }

    @Test func theWorkspaceIsWritableAndTheRestOfHomeIsNot() throws {
        let tree = try TestTree()
        try tree.write("home/project/src/keep", "")
        try tree.write("home/.ssh/id_ed25519", "PRIVATE-KEY-MARKER\n")
        try tree.write("home/notes/todo.txt", "buy milk\n")
        // Positive control: the files are there and readable outside.
        #expect(try String(contentsOfFile: tree.home + "/.ssh/id_ed25519", encoding: .utf8).contains("MARKER"))
        let result = try tree.cordon(["run", "--", "sh", "-c",
            "echo made > src/out.txt; cat ~/.ssh/id_ed25519; cat ~/notes/todo.txt; echo new > ~/scratch && cat ~/scratch; echo tmp > /tmp/t && cat /tmp/t"])
        #expect(!result.stdout.contains("MARKER"))
        #expect(!result.stdout.contains("milk"))
        #expect(result.stdout.contains("tmp"))
        #expect(try String(contentsOfFile: tree.workspace + "/src/out.txt", encoding: .utf8) == "made\n")
        #expect(!FileManager.default.fileExists(atPath: tree.home + "/scratch"))
        let granted = try tree.cordon(["run", "--allow-read", "~/notes", "--", "cat", tree.home + "/notes/todo.txt"])
        #expect(granted.stdout == "buy milk\n", "\(granted.stderr)")
    }

    @Test func protectedNamesCannotBeCreatedOrChanged() throws {
        let tree = try TestTree()
        try tree.write("home/project/.git/config", "[core]\n")
        try tree.write("home/project/.git/hooks/pre-commit.sample", "#!/bin/sh\n")
        try tree.write("home/project/src/keep", "")
        let result = try tree.cordon(["run", "--", "sh", "-c",
            "echo x > .envrc; mkdir .vscode; echo x >> .git/config; echo x > .git/hooks/pre-commit; echo ok > src/fine; echo done"])
        #expect(result.stdout.hasSuffix("done\n"), "\(result.stderr)")
        // Positive control: the same names can be created outside the sandbox.
        #expect(FileManager.default.isWritableFile(atPath: tree.workspace))
        for name in [".envrc", ".vscode", ".git/hooks/pre-commit"] {
            #expect(!FileManager.default.fileExists(atPath: tree.workspace + "/" + name), "\(name) was created")
        }
        #expect(try String(contentsOfFile: tree.workspace + "/.git/config", encoding: .utf8) == "[core]\n")
        #expect(FileManager.default.fileExists(atPath: tree.workspace + "/src/fine"))
    }

    @Test func gitCommitsInTheWorkspace() throws {
        let git = ["/usr/bin/git"]
        guard FileManager.default.isExecutableFile(atPath: git[0]) else { return }
        let tree = try TestTree()
        try tree.write("home/project/src/a.txt", "one\n")
        let identity = ["-c", "user.name=Cordon Test", "-c", "user.email=test@cordon.invalid"]
        for arguments in [["init", "-q"], ["add", "-A"], identity + ["commit", "-q", "-m", "outside"]] {
            let setup = Process()
            setup.executableURL = URL(fileURLWithPath: git[0])
            setup.arguments = arguments
            setup.currentDirectoryURL = URL(fileURLWithPath: tree.workspace)
            setup.environment = tree.environment
            try setup.run()
            setup.waitUntilExit()
            #expect(setup.terminationStatus == 0)
        }
        let result = try tree.cordon(["run", "--", "sh", "-c",
            "echo two >> src/a.txt && git add -A && git -c user.name=In -c user.email=in@cordon.invalid commit -q -m inside && git log --format=%s"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "inside\noutside\n")
    }

    @Test func python3Runs() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        let tree = try TestTree()
        let result = try tree.cordon(["run", "--", "python3", "-c", "import os, json; print(json.dumps([6 * 7, os.getcwd()]))"])
        #expect(result.stdout == "[42, \"\(tree.workspace)\"]\n", "\(result.stderr)")
    }

    @Test func aProcessTreeRunsAndEndsWithTheSession() throws {
        let tree = try TestTree()
        let result = try tree.cordon(["run", "--", "sh", "-c", "(sleep 0.2; echo child) & (echo sibling) & wait; echo parent"])
        #expect(result.stdout.split(separator: "\n").sorted() == ["child", "parent", "sibling"])
    }

    @Test func anOCIProfileNarrows() throws {
        let tree = try TestTree()
        try tree.write("profile.json", #"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}"#)
        let result = try tree.cordon(["run", "--seccomp-profile", tree.root + "/profile.json", "--", "sh", "-c", "mkdir src2 || echo refused"])
        #expect(result.stdout == "refused\n")
        #expect(!FileManager.default.fileExists(atPath: tree.workspace + "/src2"))
    }

    @Test func loopbackServersWorkInside() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        let tree = try TestTree()
        let script = """
        import socket
        s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
        c = socket.create_connection(s.getsockname()); a, _ = s.accept(); c.sendall(b"ping"); print(a.recv(4).decode())
        """
        let result = try tree.cordon(["run", "--", "python3", "-c", script])
        #expect(result.stdout == "ping\n", "\(result.stderr)")
    }
}
