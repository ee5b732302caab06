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

private func realpathString(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
