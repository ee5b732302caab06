import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a child's standard input is connected.
enum ChildInput {
    case devNull
    /// The slave side of a test-owned pseudo-terminal.
    case terminal(PseudoTerminal)
    /// The pseudo-terminal on stdin, stdout and stderr, as its controlling terminal: a person's
    /// interactive session.
    case interactive(PseudoTerminal)
    /// A pipe whose write end the caller keeps (closing it tells the child to stop).
    case pipe
}

/// What a finished child left behind.
struct ChildResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// `128 + signal` for a signalled child, the exit code otherwise (the shell's convention).
    var exitCode: Int32 {
        if status & 0x7f != 0 { return 128 + (status & 0x7f) }
        return (status >> 8) & 0xff
    }

    var killedBySignal: Int32? { status & 0x7f != 0 && status & 0x7f != 0x7f ? status & 0x7f : nil }
}

enum ChildProcessError: Error, CustomStringConvertible {
    case spawn(String, Int32)
    case timedOut(String)
    case noReadyLine(String, String)

    var description: String {
        switch self {
        case .spawn(let path, let err): return "posix_spawn \(path): \(String(cString: strerror(err)))"
        case .timedOut(let what): return "\(what) still running after the watchdog deadline; killed"
        case .noReadyLine(let what, let stderr): return "\(what) exited before announcing itself: \(stderr)"
        }
    }
}

/// A child spawned with `posix_spawn`: no Swift runs between fork and exec, and every pipe is
/// CLOEXEC so concurrent tests never inherit each other's ends.
final class ChildProcess {
    let pid: pid_t
    let describe: String
    private var stdoutFD: Int32
    private var stderrFD: Int32
    private(set) var stdinWriteFD: Int32 = -1
    private var reaped = false

    /// Spawns `argv` with exactly `environment`, in `directory`, as `user`.
    /// `leak` dup2s a CLOEXEC descriptor to a fixed number without CLOEXEC, as a careless parent would.
    init(
        _ argv: [String], environment: [String], directory: String, user: TestUser,
        input: ChildInput = .devNull, leak: (fd: Int32, at: Int32)? = nil
    ) throws {
        // posix_spawn_file_actions_addchdir_np is not visible to Swift; env -C changes directory and execs.
        var full = user.wrap(["/usr/bin/env", "-C", directory, "--"] + argv)
        if case .interactive = input { full = ["/usr/bin/setsid", "--ctty", "--wait"] + full }
        describe = argv.joined(separator: " ")
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0], inp: [Int32] = [-1, -1]
        guard Self.channel(&out), Self.channel(&err) else { throw ChildProcessError.spawn(full[0], errno) }
        if case .pipe = input { guard Self.channel(&inp) else { throw ChildProcessError.spawn(full[0], errno) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch input {
        case .devNull: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .terminal(let pty), .interactive(let pty): posix_spawn_file_actions_adddup2(&actions, pty.slave, 0)
        case .pipe: posix_spawn_file_actions_adddup2(&actions, inp[0], 0)
        }
        if case .interactive(let pty) = input {
            posix_spawn_file_actions_adddup2(&actions, pty.slave, 1)
            posix_spawn_file_actions_adddup2(&actions, pty.slave, 2)
        } else {
            posix_spawn_file_actions_adddup2(&actions, out[1], 1)
            posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        }
        if let leak { posix_spawn_file_actions_adddup2(&actions, leak.fd, leak.at) }
        // A test runner's threads may block or ignore signals; children start from a clean slate.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let cArgs = full.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup($0) } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        let rc = posix_spawn(&child, full[0], &actions, &attributes, cArgs, cEnv)
        close(out[1]); close(err[1])
        if inp[0] >= 0 { close(inp[0]) }
        guard rc == 0 else {
            close(out[0]); close(err[0])
            if inp[1] >= 0 { close(inp[1]) }
            throw ChildProcessError.spawn(full[0], rc)
        }
        pid = child
        stdoutFD = out[0]
        stderrFD = err[0]
        stdinWriteFD = inp[1]
    }

    /// A CLOEXEC byte channel, atomically: pipe2 is not visible to Swift, and a pipe made
    /// CLOEXEC only afterwards could leak into a concurrent test's child and hold its EOF back.
    private static func channel(_ fds: inout [Int32]) -> Bool {
        socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0
    }

    deinit {
        if !reaped { kill(pid, SIGKILL); var s: Int32 = 0; waitpid(pid, &s, 0) }
        for fd in [stdoutFD, stderrFD, stdinWriteFD] where fd >= 0 { close(fd) }
    }

    /// Runs to completion and returns its output; a child still running after `deadline`
    /// seconds is killed and reported (a watchdog against hangs, not a timing assertion).
    static func run(
        _ argv: [String], environment: [String], directory: String, user: TestUser,
        input: ChildInput = .devNull, leak: (fd: Int32, at: Int32)? = nil, deadline: Double = 120
    ) throws -> ChildResult {
        let child = try ChildProcess(argv, environment: environment, directory: directory, user: user, input: input, leak: leak)
        return try child.finish(deadline: deadline)
    }

    /// Reads the first stdout line of a long-running helper (its readiness announcement).
    func readLine(deadline: Double = 30) throws -> String {
        var line = [UInt8]()
        let end = Date().addingTimeInterval(deadline)
        while Date() < end {
            var p = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(stdoutFD, &byte, 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        throw ChildProcessError.noReadyLine(describe, String(decoding: line, as: UTF8.self))
    }

    /// Closes the helper's stdin (its signal to exit) and reaps it.
    func stop() {
        if stdinWriteFD >= 0 { close(stdinWriteFD); stdinWriteFD = -1 }
        _ = try? finish(deadline: 10)
    }

    func finish(deadline: Double) throws -> ChildResult {
        var out = [UInt8](), err = [UInt8]()
        var open = [stdoutFD, stderrFD]
        let end = Date().addingTimeInterval(deadline)
        var buffer = [UInt8](repeating: 0, count: 65536)
        var status: Int32 = 0
        var exited = false
        while !open.isEmpty || !exited {
            if Date() >= end {
                kill(pid, SIGKILL)
                if !exited { waitpid(pid, &status, 0) }
                reaped = true
                throw ChildProcessError.timedOut(describe)
            }
            if !exited, waitpid(pid, &status, WNOHANG) == pid { exited = true }
            // Once the child is gone, a grandchild still holding the output must not stall us for long.
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&fds, nfds_t(fds.count), exited ? 2000 : 10) > 0 else {
                if exited { break }
                continue
            }
            for p in fds where p.revents != 0 {
                let n = read(p.fd, &buffer, buffer.count)
                if n <= 0 { open.removeAll { $0 == p.fd }; continue }
                if p.fd == stdoutFD { out += buffer[0..<n] } else { err += buffer[0..<n] }
            }
        }
        reaped = true
        return ChildResult(status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
