import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pty the test opens itself (CI has no terminal), standing for the person's terminal, and a
/// program started on it: the streams named in `terminalStreams` are the pty's slave, the
/// others pipes. The program is a session leader whose controlling terminal is that pty, as a
/// shell's job would be, so keys typed on it (Ctrl-C) and size changes signal it.
final class TerminalHarness {
    let master: Int32
    /// An extra slave descriptor the test keeps, to look at the terminal's input queue and
    /// settings while and after the program runs.
    let slave: Int32
    let slavePath: String
    private(set) var pid: pid_t = -1
    /// The test's ends of the piped streams, by stream number.
    private(set) var pipes: [Int32: Int32] = [:]
    /// Everything read from the master so far.
    private(set) var output: [UInt8] = []
    private var status: Int32?

    /// Liveness bound for waiting on the program; never asserted as a duration.
    static let patience: Double = 60

    init(rows: UInt16 = 24, columns: UInt16 = 80) throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0,
              ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0 else { throw POSIXError(.EIO) }
        slavePath = "/dev/pts/\(number)"
        slave = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw POSIXError(.EIO) }
        try resize(rows: rows, columns: columns)
    }

    deinit {
        if pid > 0 && status == nil {
            kill(pid, SIGKILL)
            var ignored: Int32 = 0
            waitpid(pid, &ignored, 0)
        }
        for fd in pipes.values { close(fd) }
        close(slave)
        close(master)
    }

    /// Sets the terminal's size; the kernel signals SIGWINCH to its foreground process group.
    func resize(rows: UInt16, columns: UInt16) throws {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else { throw POSIXError(.EIO) }
    }

    /// The terminal's current settings.
    func settings() -> termios {
        var value = termios()
        _ = tcgetattr(slave, &value)
        return value
    }

    /// Starts `arguments` (absolute program first) with `environment`; stream n is the pty
    /// when `terminalStreams` contains n, else a pipe.
    func start(_ arguments: [String], environment: [String: String], terminalStreams: Set<Int32>) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [Int32] = []
        for stream: Int32 in 0..<3 {
            if terminalStreams.contains(stream) {
                // Opened by the new session's leader: the first one becomes its controlling terminal.
                posix_spawn_file_actions_addopen(&actions, stream, slavePath, O_RDWR, 0)
            } else {
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                let (ours, theirs) = stream == 0 ? (ends[1], ends[0]) : (ends[0], ends[1])
                pipes[stream] = ours
                childEnds.append(theirs)
                posix_spawn_file_actions_adddup2(&actions, theirs, stream)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80) /* POSIX_SPAWN_SETSID */)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        for fd in childEnds { close(fd) }
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
    }

    /// Starts `cordon run` on the terminal for `program`, in `tree`.
    func cordon(_ tree: TestTree, options: [String] = [], _ program: [String], terminalStreams: Set<Int32> = [0, 1, 2]) throws {
        try start([CordonProcess.binary, "run", "--workspace", tree.workspace] + options + ["--"] + program,
                  environment: tree.environment.merging(["TERM": "xterm"]) { _, b in b }, terminalStreams: terminalStreams)
    }

    /// Types `text` on the terminal.
    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Everything the terminal showed, as text.
    var text: String { String(decoding: output, as: UTF8.self) }

    /// Reads the terminal until it has shown `needle` after byte `offset` (true), or the
    /// program ended or `patience` seconds passed without it (false).
    @discardableResult
    func waitFor(_ needle: String, after offset: Int = 0, patience: Double = TerminalHarness.patience) -> Bool {
        let deadline = Date().addingTimeInterval(patience)
        func seen() -> Bool { String(decoding: output.dropFirst(offset), as: UTF8.self).contains(needle) }
        while Date() < deadline {
            if seen() { return true }
            if !readSome(timeout: 100) && exited { return seen() }
        }
        return seen()
    }

    /// Types `key` until the terminal shows `needle`: for a key that only does something once
    /// the program is ready for it (Ctrl-C once a child runs). False if it never did.
    func press(_ key: String, until needle: String) -> Bool {
        let offset = output.count
        for _ in 0..<20 {
            type(key)
            if waitFor(needle, after: offset, patience: 3) { return true }
        }
        return false
    }

    /// Waits for the program to end, reading what it shows, and returns its shell status
    /// (128 + signal when killed), or nil when patience ran out.
    func finish() -> Int32? {
        let deadline = Date().addingTimeInterval(Self.patience)
        while !exited && Date() < deadline { readSome(timeout: 100) }
        while readSome(timeout: 50) {}
        guard let status else { return nil }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// What the program wrote to piped stream `stream`, once it has ended.
    func pipeText(_ stream: Int32) -> String {
        guard let fd = pipes[stream] else { return "" }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Closes the test's end of the program's stdin pipe.
    func closeInput() {
        if let fd = pipes.removeValue(forKey: 0) { close(fd) }
    }

    /// Bytes waiting in the terminal's input queue (`FIONREAD` on the slave): what would be
    /// read as typed keys.
    func pendingInput() -> Int32 {
        var count: Int32 = 0
        _ = ioctl(slave, UInt(FIONREAD), &count)
        return count
    }

    private var exited: Bool {
        if status != nil { return true }
        var value: Int32 = 0
        if waitpid(pid, &value, WNOHANG) == pid { status = value }
        return status != nil
    }

    @discardableResult
    private func readSome(timeout: Int32) -> Bool {
        var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 1, timeout) > 0, fds[0].revents & Int16(POLLIN) != 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        guard count > 0 else { return false }
        output += buffer[..<count]
        return true
    }
}
