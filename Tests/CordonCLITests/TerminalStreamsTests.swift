import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The agent never receives a descriptor of the person's terminal, whichever of its standard
/// streams are terminals and whichever layer is on alone: the terminal streams become its own
/// pty, the others stay pipes. Checked by identity (device numbers) and by TIOCSTI.
@Suite(.serialized) struct TerminalStreamsTests {
    /// Which streams are the test's pty; the others are pipes.
    static let combinations: [Set<Int32>] = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]
    static let layerChoices = ["all", "view", "landlock", "seccomp"]

    /// For each of fds 0-2: where it leads, its device numbers, its terminal name, and the
    /// errno of a TIOCSTI pushing one byte (0 when it succeeded).
    static let probe = """
    import os, sys, fcntl, termios, json
    report = []
    for fd in range(3):
        entry = {"fd": fd}
        try: entry["link"] = os.readlink("/proc/self/fd/%d" % fd)
        except OSError as e: entry["link"] = "errno %d" % e.errno
        try:
            st = os.fstat(fd)
            entry["dev"], entry["rdev"] = st.st_dev, st.st_rdev
        except OSError: entry["dev"], entry["rdev"] = -1, -1
        try: entry["tty"] = os.ttyname(fd)
        except OSError: entry["tty"] = ""
        try:
            fcntl.ioctl(fd, termios.TIOCSTI, b"Q")
            entry["sti"] = 0
        except OSError as e: entry["sti"] = e.errno
        report.append(entry)
    with open(sys.argv[1], "w") as f: json.dump(report, f)
    """

    struct Entry {
        var fd: Int, link: String, dev: UInt64, rdev: UInt64, tty: String, sti: Int
    }

    struct Outcome {
        var entries: [Entry]
        /// Bytes left in the test pty's input queue: keys pushed into the person's terminal.
        var injected: Int32
        var status: Int32?
        var transcript: String
    }

    /// Runs the probe on a fresh pty, inside `cordon run` (with `layers`) or directly (nil).
    static func run(streams: Set<Int32>, layers: String?, tree: TestTree) throws -> (Outcome, st_dev: UInt64, st_rdev: UInt64) {
        let terminal = try TerminalHarness()
        // Non-canonical and silent, so that every pushed byte counts in FIONREAD and none echoes.
        var settings = terminal.settings()
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(terminal.slave, TCSANOW, &settings)
        // Nothing can be created directly in the workspace root; a directory in it is writable.
        try FileManager.default.createDirectory(atPath: tree.workspace + "/out", withIntermediateDirectories: true)
        let report = tree.workspace + "/out/report-\(layers ?? "outside")-\(streams.sorted().map(String.init).joined()).json"
        let program = ["/usr/bin/python3", "-c", probe, report]
        if let layers {
            try terminal.cordon(tree, options: ["--layers", layers], program, terminalStreams: streams)
        } else {
            try terminal.start(program, environment: tree.environment, terminalStreams: streams)
        }
        terminal.closeInput()
        let status = terminal.finish()
        let transcript = terminal.text + terminal.pipeText(1) + terminal.pipeText(2)
        var entries: [Entry] = []
        if let data = FileManager.default.contents(atPath: report),
           let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for item in list {
                entries.append(Entry(
                    fd: item["fd"] as? Int ?? -1, link: item["link"] as? String ?? "", dev: (item["dev"] as? NSNumber)?.uint64Value ?? 0,
                    rdev: (item["rdev"] as? NSNumber)?.uint64Value ?? 0, tty: item["tty"] as? String ?? "", sti: item["sti"] as? Int ?? -1))
            }
        }
        var own = stat()
        fstat(terminal.slave, &own)
        return (Outcome(entries: entries, injected: terminal.pendingInput(), status: status, transcript: transcript), UInt64(own.st_dev), UInt64(own.st_rdev))
    }

    @Test(arguments: combinations)
    func theAgentNeverHoldsTheHostTerminal(streams: Set<Int32>) throws {
        let tree = try TestTree()
        // Positive control: run directly, the probe does see the test's pty on those streams.
        let (control, dev, rdev) = try Self.run(streams: streams, layers: nil, tree: tree)
        try #require(control.entries.count == 3, "\(control.transcript)")
        for entry in control.entries {
            #expect((entry.dev == dev && entry.rdev == rdev) == streams.contains(Int32(entry.fd)), "control fd \(entry.fd): \(entry.link)")
        }
        for layers in Self.layerChoices {
            // Without the view (Landlock or seccomp alone) the pty is a new one of the host's
            // devpts: still the program's own.
            let (inside, dev, rdev) = try Self.run(streams: streams, layers: layers, tree: tree)
            #expect(inside.status == 0, "layers \(layers), streams \(streams.sorted()): \(inside.transcript)")
            try #require(inside.entries.count == 3, "layers \(layers): \(inside.transcript)")
            for entry in inside.entries {
                let label = "layers \(layers), terminal streams \(streams.sorted()), fd \(entry.fd) -> \(entry.link) (\(entry.tty))"
                #expect(!(entry.dev == dev && entry.rdev == rdev), "\(label) is the host terminal")
                // A stream that was a terminal is one inside (its own), the others stay pipes.
                #expect(entry.tty.isEmpty != streams.contains(Int32(entry.fd)), "\(label)")
                #expect(entry.tty.isEmpty || entry.link == entry.tty, "\(label)")
            }
        }
    }

    /// TIOCSTI pushes bytes only into a terminal the caller can reach; as root (or with
    /// dev.tty.legacy_tiocsti=1) the control below injects, otherwise the probe is skipped.
    static var injectionControlWorks: Bool {
        guard let terminal = try? TerminalHarness() else { return false }
        // Non-canonical, so that FIONREAD counts a byte without a line end.
        var settings = terminal.settings()
        settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
        _ = tcsetattr(terminal.slave, TCSANOW, &settings)
        var byte: UInt8 = 0x51
        guard ioctl(terminal.slave, UInt(TIOCSTI), &byte) == 0 else { return false }
        return terminal.pendingInput() > 0
    }

    @Test(.enabled(if: injectionControlWorks, "TIOCSTI cannot inject even outside a sandbox here (dev.tty.legacy_tiocsti=0 without CAP_SYS_ADMIN): skipped"),
          arguments: combinations)
    func keysPushedInsideNeverReachTheHostTerminal(streams: Set<Int32>) throws {
        let tree = try TestTree()
        // Positive control: the same probe outside, on the same kind of pty, does inject.
        let (control, _, _) = try Self.run(streams: streams, layers: nil, tree: tree)
        #expect(control.injected > 0, "control: \(control.entries.map { "fd \($0.fd): \($0.sti)" })")
        for layers in Self.layerChoices {
            let (inside, _, _) = try Self.run(streams: streams, layers: layers, tree: tree)
            try #require(inside.entries.count == 3, "layers \(layers): \(inside.transcript)")
            // Cordon reads a terminal stdin itself, so bytes pushed there would be consumed
            // rather than left queued; the identity test above covers that case.
            if !streams.contains(0) {
                #expect(inside.injected == 0, "layers \(layers), streams \(streams.sorted()): \(inside.entries.map { "fd \($0.fd): \($0.sti)" })")
            }
        }
    }
}
