#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy
import Testing

@Suite("View: namespaces, mounts, /proc")
struct ViewTests {
    @Test("a program runs, writes to a writable bind, and its exit code comes back")
    func runsAndExits() throws {
        let scratch = try Scratch()
        let status = try run(Plans.base(scratch, script: "echo hello > /out/hello; exit 7"))
        #expect(status == .exited(7))
        #expect(scratch.read("out/hello") == "hello\n")
    }

    @Test("a read-only bind is readable and not writable; a writable one is writable")
    func readOnlyBind() throws {
        let scratch = try Scratch()
        try scratch.write("data/file", "secret\n")
        let script = "cat /data/file > /out/read; if echo x >> /data/file; then echo wrote; else echo refused; fi > /out/write; echo y > /out/new"
        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        #expect(scratch.read("out/read") == "secret\n")
        #expect(scratch.read("out/write") == "refused\n")
        #expect(scratch.read("data/file") == "secret\n")
        #expect(scratch.read("out/new") == "y\n")
    }

    @Test("a host path outside the view is absent, while it exists on the host")
    func outsideViewAbsent() throws {
        let scratch = try Scratch()
        #expect(access("/etc/hostname", F_OK) == 0 || access("/etc/os-release", F_OK) == 0)
        let script = "for p in /etc/hostname /etc/os-release /home /root /work /var; do test -e $p && echo $p; done > /out/seen; true"
        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        #expect(scratch.read("out/seen") == "")
    }

    @Test("the root is read-only and mounts are nosuid and nodev")
    func rootReadOnly() throws {
        let scratch = try Scratch()
        let script = "if touch /newfile 2>/dev/null; then echo wrote; else echo refused; fi > /out/root; grep -E ' / | /usr | /out ' /proc/self/mounts > /out/mounts"
        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        #expect(scratch.read("out/root") == "refused\n")
        let mounts = scratch.read("out/mounts") ?? ""
        let lines = mounts.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.contains("nosuid") && line.contains("nodev"), "\(line)")
        }
        #expect(lines.contains { $0.contains(" /usr ") && $0.contains("ro,") })
        #expect(lines.contains { $0.contains(" /out ") && $0.contains("rw,") && $0.contains("noexec") })
    }

    @Test("uid and gid inside are the caller's, and the host name is the plan's")
    func identity() throws {
        let scratch = try Scratch()
        #expect(try run(Plans.base(scratch, script: "id -u > /out/uid; id -g > /out/gid; hostname > /out/host 2>/dev/null || cat /proc/sys/kernel/hostname > /out/host")) == .exited(0))
        #expect(scratch.read("out/uid") == "\(getuid())\n")
        #expect(scratch.read("out/gid") == "\(getgid())\n")
        #expect(scratch.read("out/host") == "sandbox\n")
    }

    @Test("pid 1 is the reaper and the program is its child")
    func reaperIsPidOne() throws {
        let scratch = try Scratch()
        #expect(try run(Plans.base(scratch, script: "echo $$ $PPID > /out/pids; ls /proc | grep -E '^[0-9]+$' | wc -l > /out/count")) == .exited(0))
        #expect(scratch.read("out/pids") == "2 1\n")
        // pid 1, the shell, and the processes of the pipeline: nothing from the host.
        let count = Int((scratch.read("out/count") ?? "").filter(\.isNumber)) ?? 0
        #expect(count >= 2 && count <= 5)
    }

    @Test("/proc/sys is read-only and /proc/kcore, /proc/keys, /proc/timer_list are masked")
    func procProtected() throws {
        let scratch = try Scratch()
        let script = """
            grep -E ' /proc/sys | /proc/sysrq-trigger ' /proc/self/mounts | grep -c ' ro,' > /out/ro
            for f in /proc/kcore /proc/keys /proc/timer_list; do wc -c < $f; done > /out/masked 2>&1
            """
        #expect(try run(Plans.base(scratch, script: script)) == .exited(0))
        #expect(scratch.read("out/ro") == "2\n")
        #expect(scratch.read("out/masked") == "0\n0\n0\n")
    }
}
