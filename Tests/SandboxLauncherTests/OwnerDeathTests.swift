#if canImport(Glibc)
import Glibc
#endif
import LinuxSystem
import SandboxLauncher
import SandboxPolicy
import SystemPackage
import Testing

/// Set in the environment of the helper copy of this test binary: the fd to write the
/// sandbox's pid to, and the scratch directory to use.
private let helperVariable = "CORDON_LAUNCHER_OWNER_HELPER_FD"
private let helperDirectory = "CORDON_LAUNCHER_OWNER_HELPER_DIR"

@Suite("Lifecycle: the sandbox dies with its owner")
struct OwnerDeathTests {
    @Test("when the process that launched a sandbox is killed, the sandbox dies too")
    func ownerKilled() throws {
        let scratch = try Scratch()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        let arguments: [String] = [
            "/proc/self/exe", "--testing-library", "swift-testing", "--filter", "ownerHelper",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var environment: [UnsafeMutablePointer<CChar>?] = [strdup("\(helperVariable)=\(fds[1])"), strdup("\(helperDirectory)=\(scratch.root)"), strdup("PATH=/usr/bin:/bin"), nil]
        defer { (argv + environment).forEach { free($0) } }
        var helper: pid_t = 0
        let exe = try #require(realpathString("/proc/self/exe"))
        #expect(posix_spawn(&helper, exe, nil, nil, &argv, &environment) == 0)
        close(fds[1])
        let reader = FileDescriptor(rawValue: fds[0])
        defer { try? reader.close() }
        var line = ""
        var byte: UInt8 = 0
        while (try? withUnsafeMutableBytes(of: &byte) { try reader.read(into: $0) }) == 1, byte != 10 {
            line.append(Character(UnicodeScalar(byte)))
        }
        let sandbox = try #require(Int32(line), "the helper reported no sandbox pid")
        let handle = try ProcessHandle(pid: sandbox)
        // Positive control: the sandbox is alive while its owner lives.
        let aliveBefore = handle.waitUntilExited(timeoutMilliseconds: 0)
        #expect(aliveBefore == false)
        kill(helper, SIGKILL)
        var status: Int32 = 0
        waitpid(helper, &status, 0)
        let exited = handle.waitUntilExited(timeoutMilliseconds: 60_000)
        #expect(exited, "sandbox \(sandbox) outlived its owner")
    }

    @Test("helper for ownerKilled: launches a sandbox, reports its pid, blocks",
          .enabled(if: getenv(helperVariable) != nil))
    func ownerHelper() throws {
        let fd = FileDescriptor(rawValue: Int32(String(cString: getenv(helperVariable)!))!)
        let scratch = Scratch(adopting: String(cString: getenv(helperDirectory)!))
        let process = try SandboxLauncher().launch(Plans.shell(scratch, argv: ["sleep", "1000"]))
        _ = try fd.writeAll(Array("\(process.pid)\n".utf8))
        _ = process.waitForExit()
    }
}

/// Set for the helper that runs in its own session with a pty as controlling terminal.
private let ttyHelperDirectory = "CORDON_LAUNCHER_TTY_HELPER_DIR"

@Suite("Terminal: the supervisor's controlling terminal stays out of reach")
struct ControllingTerminalTests {
    @Test("with inherited pipes the program cannot open the supervisor's controlling terminal through /dev/tty")
    func supervisorTerminalUnreachable() throws {
        let scratch = try Scratch()
        let (master, slave) = try PseudoTerminal.open()
        defer { try? master.close() }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened by a session leader without a terminal, the slave becomes the helper's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80) /* POSIX_SPAWN_SETSID */)
        let arguments = ["/proc/self/exe", "--testing-library", "swift-testing", "--filter", "ttyHelper"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var environment: [UnsafeMutablePointer<CChar>?] = [strdup("\(ttyHelperDirectory)=\(scratch.root)"), strdup("PATH=/usr/bin:/bin"), nil]
        defer { (argv + environment).forEach { free($0) } }
        var helper: pid_t = 0
        let exe = try #require(realpathString("/proc/self/exe"))
        #expect(posix_spawn(&helper, exe, &actions, &attributes, &argv, &environment) == 0)
        var status: Int32 = 0
        waitpid(helper, &status, 0)
        // Positive control: the helper itself reaches its terminal through /dev/tty.
        #expect(scratch.read("control") == "opened\n")
        #expect(scratch.read("out/tty") == "none\n")
    }

    @Test("helper for supervisorTerminalUnreachable", .enabled(if: getenv(ttyHelperDirectory) != nil))
    func ttyHelper() throws {
        let scratch = Scratch(adopting: String(cString: getenv(ttyHelperDirectory)!))
        let fd = open("/dev/tty", O_RDWR)
        try scratch.write("control", fd >= 0 ? "opened\n" : "none\n")
        if fd >= 0 { close(fd) }
        var plan = Plans.base(scratch, script: "if (exec 3<>/dev/tty) 2>/dev/null; then echo opened; else echo none; fi > /out/tty")
        plan.mounts.insert(.device(source: "/dev/tty", target: "/dev/tty"), at: 9)
        _ = try SandboxLauncher().launch(plan).waitForExit()
    }
}

private func realpathString(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
