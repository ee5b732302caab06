import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A program on the relayed pty, with a pty the test opens itself (CI has no terminal).
@Suite(.serialized) struct TerminalTests {
    @Test func theAgentGetsItsOwnTerminalWithOurSizeAndNoClipboardWrites() throws {
        let tree = try TestTree()
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        try #require(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, 0x4004_5431, &unlock) == 0)  // TIOCSPTLCK
        #expect(ioctl(master, 0x8004_5430, &number) == 0)  // TIOCGPTN
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        #expect(ioctl(master, UInt(TIOCSWINSZ), &size) == 0)
        let slave = FileHandle(forUpdatingAtPath: slavePath)!

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CordonProcess.binary)
        // The program waits for a line before asking for its size: by the time input is
        // relayed, Cordon has copied the window size.
        process.arguments = ["run", "--", "sh", "-c", "tty; read line; stty size; printf '\\033]52;c;aGk=\\007after\\n'"]
        process.currentDirectoryURL = URL(fileURLWithPath: tree.workspace)
        process.environment = tree.environment.merging(["TERM": "xterm"]) { _, b in b }
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try slave.close()
        var line: [UInt8] = Array("go\r".utf8)
        #expect(write(master, &line, line.count) == line.count)

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }  // EIO once cordon, the last holder of the slave, has gone
            output += buffer[..<count]
        }
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("/dev/pts/0"))
        #expect(text.contains("40 100"))
        #expect(text.contains("after"))
        #expect(!text.contains("]52;"))
    }

    @Test func theFirstSizeReadInsideIsThePersonsSize() throws {
        let tree = try TestTree()
        // All three streams the pty, and only stdout: the program asks before anything else.
        // With a network capability the supervisor starts its proxy before it relays, which
        // leaves a size set only by the relay far behind the program.
        for (streams, options): (Set<Int32>, [String]) in [([0, 1, 2], []), ([0, 1, 2], ["--allow-net", "127.0.0.1:9"]), ([1], [])] {
            let terminal = try TerminalHarness(rows: 33, columns: 77)
            try terminal.cordon(tree, options: options, ["sh", "-c", "stty size < /dev/tty"], terminalStreams: streams)
            terminal.closeInput()
            let status = terminal.finish()
            #expect(status == 0, "\(terminal.text)")
            #expect(terminal.text.contains("33 77"), "streams \(streams.sorted()) \(options): \(terminal.text)")
        }
    }

    @Test func aResizeReachesTheProgram() throws {
        let tree = try TestTree()
        let terminal = try TerminalHarness(rows: 24, columns: 80)
        try terminal.cordon(tree, ["sh", "-c", "trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.1; done"])
        #expect(terminal.waitFor("ready"), "\(terminal.text)")
        try terminal.resize(rows: 50, columns: 132)
        #expect(terminal.waitFor("50 132"), "\(terminal.text)")
        #expect(terminal.finish() == 0)
    }

    /// Ctrl-C reaches the foreground process group, not only the program: the shell's
    /// `sleep` dies of it and the shell, which traps it, goes on.
    static let interruptible = "trap 'echo shell-saw-int' INT; echo ready; sleep 1000; echo sleep-ended"

    @Test func controlCAsAKeyReachesTheForegroundGroup() throws {
        let tree = try TestTree()
        let terminal = try TerminalHarness()
        try terminal.cordon(tree, ["sh", "-c", Self.interruptible])
        #expect(terminal.waitFor("ready"), "\(terminal.text)")
        #expect(terminal.press("\u{03}", until: "sleep-ended"), "\(terminal.text)")
        #expect(terminal.text.contains("shell-saw-int"))
        #expect(terminal.finish() == 0)
    }

    @Test func controlCWithStdinAPipeReachesTheForegroundGroup() throws {
        let tree = try TestTree()
        let terminal = try TerminalHarness()
        // stdin is a pipe: Cordon leaves the person's terminal cooked, so Ctrl-C arrives as a
        // signal from that terminal and is passed to the pty's foreground group.
        try terminal.cordon(tree, ["sh", "-c", Self.interruptible], terminalStreams: [1, 2])
        #expect(terminal.waitFor("ready"), "\(terminal.text)")
        #expect(terminal.press("\u{03}", until: "sleep-ended"), "\(terminal.text)")
        #expect(terminal.text.contains("shell-saw-int"))
        terminal.closeInput()
        #expect(terminal.finish() == 0)
    }

    /// A foreground job that says when it runs and when it is continued; the words are built
    /// at run time so that the echo of the typed command does not contain them.
    static let job = """
    python3 -c 'import os, signal, time; signal.signal(signal.SIGCONT, lambda *a: os.write(1, b"conti" + b"nued\\n")); print("in" + "-fg", flush=True); time.sleep(1000)'\r
    """

    @Test func jobControlInBashInside() throws {
        let tree = try TestTree()
        // Nothing can be created directly in the workspace root; a directory in it is writable.
        try FileManager.default.createDirectory(atPath: tree.workspace + "/out", withIntermediateDirectories: true)
        let terminal = try TerminalHarness()
        try terminal.cordon(tree, ["bash", "--norc", "--noprofile", "-i"])
        terminal.type(Self.job)
        #expect(terminal.waitFor("in-fg"), "\(terminal.text)")
        var mark = terminal.output.count
        terminal.type("\u{1a}")
        #expect(terminal.waitFor("Stopped", after: mark), "\(terminal.text)")
        mark = terminal.output.count
        terminal.type("jobs > out/jobs.txt; fg\r")
        #expect(terminal.waitFor("continued", after: mark), "\(terminal.text)")
        mark = terminal.output.count
        terminal.type("\u{03}")
        #expect(terminal.waitFor("KeyboardInterrupt", after: mark), "\(terminal.text)")
        terminal.type("echo after-fg-$?\r")
        #expect(terminal.waitFor("after-fg-130", after: mark), "\(terminal.text)")
        terminal.type("exit 7\r")
        #expect(terminal.finish() == 7, "\(terminal.text)")
        let jobs = (try? String(contentsOfFile: tree.workspace + "/out/jobs.txt", encoding: .utf8)) ?? ""
        #expect(jobs.contains("Stopped") && jobs.contains("python3"), "\(jobs)")
    }

    @Test func theTerminalIsRestoredWhenTheAgentIsKilled() throws {
        let tree = try TestTree()
        let terminal = try TerminalHarness()
        let before = terminal.settings()
        #expect(before.c_lflag & tcflag_t(ICANON | ECHO) == tcflag_t(ICANON | ECHO))
        try terminal.cordon(tree, ["sh", "-c", "echo ready; read line; kill -KILL $$"])
        #expect(terminal.waitFor("ready"), "\(terminal.text)")
        // Raw while it runs (so the restore below is not vacuous) ...
        #expect(terminal.settings().c_lflag & tcflag_t(ICANON | ECHO) == 0)
        terminal.type("go\r")
        #expect(terminal.finish() == 128 + SIGKILL, "\(terminal.text)")
        // ... and as before once it has been killed.
        let after = terminal.settings()
        #expect(after.c_lflag == before.c_lflag && after.c_iflag == before.c_iflag && after.c_oflag == before.c_oflag)
    }

    @Test func theTerminalIsRestoredWhenCordonIsTerminated() throws {
        let tree = try TestTree()
        let terminal = try TerminalHarness()
        let before = terminal.settings()
        try terminal.cordon(tree, ["sh", "-c", "echo ready; sleep 1000"])
        #expect(terminal.waitFor("ready"), "\(terminal.text)")
        #expect(terminal.settings().c_lflag & tcflag_t(ICANON) == 0)
        kill(terminal.pid, SIGTERM)
        #expect(terminal.finish() == 128 + SIGTERM, "\(terminal.text)")
        let after = terminal.settings()
        #expect(after.c_lflag == before.c_lflag && after.c_iflag == before.c_iflag && after.c_oflag == before.c_oflag)
    }
}
