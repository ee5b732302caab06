#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy
import Testing

/// A seccomp program that fails mkdir and mkdirat with EPERM and kills foreign architectures.
let denyMkdir = SeccompProgram(name: "deny mkdir", instructions: [
    SeccompInstruction(code: 0x20, jt: 0, jf: 0, k: 4),            // ld arch
    SeccompInstruction(code: 0x15, jt: 1, jf: 0, k: 0xc000_003e),  // jeq AUDIT_ARCH_X86_64
    SeccompInstruction(code: 0x06, jt: 0, jf: 0, k: 0x8000_0000),  // ret KILL_PROCESS
    SeccompInstruction(code: 0x20, jt: 0, jf: 0, k: 0),            // ld nr
    SeccompInstruction(code: 0x15, jt: 2, jf: 0, k: 83),           // jeq mkdir
    SeccompInstruction(code: 0x15, jt: 1, jf: 0, k: 258),          // jeq mkdirat
    SeccompInstruction(code: 0x06, jt: 0, jf: 0, k: 0x7fff_0000),  // ret ALLOW
    SeccompInstruction(code: 0x06, jt: 0, jf: 0, k: 0x0005_0001),  // ret ERRNO(EPERM)
])

@Suite("Confinement: Landlock, seccomp, process")
struct ConfinementTests {
    @Test("Landlock denies a path its rules do not grant; without Landlock the same view allows it")
    func landlockDenies() throws {
        let scratch = try Scratch()
        try scratch.write("data/file", "readable\n")
        let script = "if cat /data/file > /out/read 2>/dev/null; then echo read; else echo denied; fi > /out/result; ls /usr/bin/env > /out/usr"
        var plan = Plans.base(scratch, script: script)
        plan.landlock = Plans.landlock()
        #expect(try run(plan) == .exited(0))
        #expect(scratch.read("out/result") == "denied\n")
        #expect(scratch.read("out/usr") == "/usr/bin/env\n")

        var open = Plans.base(scratch, script: script, layers: [.view, .seccomp, .process])
        open.landlock = Plans.landlock()
        #expect(try run(open) == .exited(0))
        #expect(scratch.read("out/result") == "read\n")
    }

    @Test("the report names the Landlock ABI the kernel offers")
    func landlockReported() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "true")
        plan.landlock = Plans.landlock()
        let process = try SandboxLauncher().launch(plan)
        _ = process.waitForExit()
        let entry = process.report.entries.first { $0.layer == "landlock" }
        #expect(entry?.status == .enforced)
        #expect(entry?.detail.hasPrefix("ABI \(SandboxLauncher.probeKernel().landlockABI ?? -1) ") == true)
    }

    @Test("seccomp denies a syscall the program lists; without it the same call succeeds")
    func seccompDenies() throws {
        let scratch = try Scratch()
        let script = "if mkdir /out/made 2>/dev/null; then echo made; else echo denied; fi > /out/result"
        var plan = Plans.base(scratch, script: script)
        plan.seccomp = [denyMkdir]
        #expect(try run(plan) == .exited(0))
        #expect(scratch.read("out/result") == "denied\n")
        #expect(access(scratch.out + "/made", F_OK) != 0)

        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        #expect(scratch.read("out/result") == "made\n")
    }

    @Test("capability sets are empty and no_new_privs is set")
    func privilegesDropped() throws {
        let scratch = try Scratch()
        let script = "grep -E '^(NoNewPrivs|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' /proc/self/status > /out/status"
        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        let lines = (scratch.read("out/status") ?? "").split(separator: "\n")
        #expect(lines.count == 6)
        for line in lines {
            if line.hasPrefix("NoNewPrivs") { #expect(line.hasSuffix("1")) } else { #expect(line.hasSuffix("0000000000000000"), "\(line)") }
        }
    }

    @Test("descriptors without CLOEXEC are closed; with the process layer off the same fd leaks")
    func descriptorsClosed() throws {
        let scratch = try Scratch()
        let fd = open("/dev/null", O_RDONLY)
        #expect(dup2(fd, 100) == 100)
        close(fd)
        defer { close(100) }
        let script = "ls /proc/self/fd > /out/fds"
        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        #expect(scratch.read("out/fds")?.split(separator: "\n").contains("100") == false)
        #expect(try run(Plans.base(scratch, script: script, layers: [.view, .landlock, .seccomp])) == .exited(0))
        #expect(scratch.read("out/fds")?.split(separator: "\n").contains("100") == true)
    }

    @Test("rlimits apply and core dumps are off")
    func resourceLimits() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "ulimit -n > /out/nofile; ulimit -c > /out/core")
        plan.resourceLimits = [ResourceLimit(resource: Int32(RLIMIT_NOFILE.rawValue), soft: 77, hard: 77)]
        #expect(try run(plan) == .exited(0))
        #expect(scratch.read("out/nofile") == "77\n")
        #expect(scratch.read("out/core") == "0\n")
    }

    @Test("cgroup pids limit stops extra processes as root, and is reported off for a user who cannot set it")
    func cgroupPids() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "sh -c 'for i in 1 2 3 4 5 6; do sleep 30 & done' 2> /out/err; true")
        plan.cgroupLimits = CgroupLimits(memoryBytes: 64 << 20, maxProcesses: 4)
        let process = try SandboxLauncher().launch(plan)
        let pids = process.report.entries.first { $0.layer == "cgroup.pids" }
        let memory = process.report.entries.first { $0.layer == "cgroup.memory" }
        #expect(process.waitForExit() == .exited(0))
        let features = SandboxLauncher.probeKernel()
        if features.pidsController != nil {
            #expect(pids?.status == .enforced)
            #expect((scratch.read("out/err") ?? "").isEmpty == false)
            let directory = pids.map { String($0.detail.split(separator: " ")[2]) } ?? ""
            #expect(directory.contains("/cordon-"))
            #expect(access(directory, F_OK) != 0, "the session's group is removed")
        } else {
            #expect(pids?.status == .off)
            #expect((scratch.read("out/err") ?? "").isEmpty)
        }
        #expect(memory?.status == (features.memoryController != nil ? .enforced : .off))
    }

    @Test("the sandbox's first process and its program are members of each session group, and the groups go afterwards",
          .enabled(if: SandboxLauncher.probeKernel().memoryController != nil || SandboxLauncher.probeKernel().pidsController != nil,
                   "this user can create no cgroup"))
    func cgroupMembership() throws {
        let features = SandboxLauncher.probeKernel()
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "while [ ! -e /out/go ]; do sleep 0.05; done")
        plan.cgroupLimits = CgroupLimits(memoryBytes: 64 << 20, maxProcesses: 16)
        let process = try SandboxLauncher().launch(plan)
        let directories = process.report.entries.filter { $0.layer.hasPrefix("cgroup.") && $0.status == .enforced }
            .map { String($0.detail.split(separator: " ")[2]) }
        #expect(directories.count == [features.memoryController, features.pidsController].compactMap { $0 }.count)
        for directory in directories {
            let members = readSmall(directory + "/cgroup.procs").split(separator: "\n")
            #expect(members.contains(Substring(String(process.pid))), "the first process is in \(directory)")
            #expect(members.count >= 2, "the program is in \(directory) too: \(members)")
            // The thread that cloned the sandbox into a v1 group went back to its own.
            #expect(!members.contains(Substring(String(getpid()))), "no thread of the supervisor stays in \(directory)")
        }
        try scratch.write("out/go", "")
        #expect(process.waitForExit() == .exited(0))
        for directory in directories { #expect(access(directory, F_OK) != 0, "\(directory) is removed") }
    }
}

/// The text of a small file outside the scratch directory, or "" when it cannot be read.
private func readSmall(_ path: String) -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return "" }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 65536)
    let count = read(descriptor, &buffer, buffer.count)
    return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
}
