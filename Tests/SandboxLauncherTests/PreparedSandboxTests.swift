#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LinuxSystem
import SandboxLauncher
import SandboxPolicy
import Testing

@Suite("A sandbox cloned from its plan's shape before the plan exists")
struct PreparedSandboxTests {
    @Test("the launch finishes the prepared sandbox: the same process runs the plan")
    func preparedSandboxRunsThePlan() throws {
        let scratch = try Scratch()
        let plan = Plans.base(scratch, script: "echo ran > /out/ran")
        let prepared = try #require(SandboxLauncher().prepare(plan.shape))
        let pid = try #require(prepared.pid)
        // It waits: it has not even built its view, let alone started a program.
        #expect(LifecycleTests.children(of: pid) == "")
        try Self.launchRuns(plan, prepared: prepared, pid: pid, scratch: scratch)
    }

    @Test("a prepared sandbox mounts the base of its view while it waits, and nothing else of the plan")
    func preparedSandboxMountsItsBase() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "echo ran > /out/ran")
        // The base ends with /tmp; /out and /data are the plan's own.
        let base = try #require(plan.mounts.firstIndex(of: .tmpfs(target: "/tmp", mode: 0o1777, sizeBytes: 1 << 20)))
        plan.baseMountCount = base + 1
        let prepared = try #require(SandboxLauncher().prepare(plan.shape))
        let pid = try #require(prepared.pid)
        // The staged root's /tmp appears in the child's mount table once the base is mounted.
        #expect(Self.waitForMount(in: pid, endingWith: "/newroot/tmp"))
        #expect(!Self.mounts(of: pid).contains { $0.hasSuffix("/newroot/out") })
        #expect(LifecycleTests.children(of: pid) == "")
        try Self.launchRuns(plan, prepared: prepared, pid: pid, scratch: scratch)
    }

    /// Launches `plan` with `prepared`, whose process (`pid`) must be the one that runs it, and
    /// expects its script to have run.
    static func launchRuns(_ plan: LaunchPlan, prepared: PreparedSandbox, pid: Int32, scratch: Scratch) throws {
        let process = try SandboxLauncher().launchHeld(plan, prepared: prepared)
        #expect(process.pid == pid)
        try process.release()
        #expect(process.waitForExit() == .exited(0))
        #expect(scratch.read("out/ran") == "ran\n")
    }

    @Test("a prepared sandbox that is discarded ran nothing, and is gone with its cgroups when discard returns")
    func discardedSandboxIsGone() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "echo ran > /out/ran")
        plan.cgroupLimits = CgroupLimits(memoryBytes: nil, maxProcesses: 64)
        let prepared = try #require(SandboxLauncher().prepare(plan.shape))
        let pid = try #require(prepared.pid)
        // Positive control: the process exists and, where a pids controller is usable, sits in a
        // group of the session's own.
        #expect(kill(pid, 0) == 0)
        let group = Self.sessionGroup(of: pid)
        // Root can always create one; others only where a cgroup was delegated to them.
        if getuid() == 0 { #expect(group != nil) }
        if let group { #expect(FileManager.default.fileExists(atPath: group)) }
        prepared.discard()
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        if let group { #expect(!FileManager.default.fileExists(atPath: group)) }
        #expect(scratch.read("out/ran") == nil)
    }

    @Test("a prepared sandbox of another shape is discarded and the launch clones its own")
    func otherShapeIsDiscarded() throws {
        let scratch = try Scratch()
        let plan = Plans.base(scratch, script: "echo ran > /out/ran")
        var other = plan.shape
        other.namespaces.remove(.network)
        let prepared = try #require(SandboxLauncher().prepare(other))
        let pid = try #require(prepared.pid)
        let process = try SandboxLauncher().launchHeld(plan, prepared: prepared)
        #expect(process.pid != pid)
        #expect(kill(pid, 0) != 0 && errno == ESRCH)
        try process.release()
        #expect(process.waitForExit() == .exited(0))
        #expect(scratch.read("out/ran") == "ran\n")
    }

    @Test("helper threads start with every signal blocked, whatever their creator blocked")
    func helperThreadsBlockSignals() throws {
        // The creator leaves SIGUSR2 unblocked (control: it is), which a plain thread inherits.
        var usr2 = sigset_t()
        sigemptyset(&usr2)
        sigaddset(&usr2, SIGUSR2)
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &usr2, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var own = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &own)
        #expect(sigismember(&own, SIGUSR2) == 0)
        let mask = Mask()
        #expect(DetachedThread.start(name: "test-mask") {
            var current = sigset_t()
            pthread_sigmask(SIG_SETMASK, nil, &current)
            mask.record(current)
        })
        var current = mask.wait()
        for signal in [SIGUSR2, SIGCHLD, SIGINT, SIGTERM, SIGWINCH] { #expect(sigismember(&current.value, signal) == 1, "signal \(signal)") }
    }

    /// The mount points of `pid`'s mount namespace, as its mountinfo names them.
    static func mounts(of pid: Int32) -> [String] {
        // Read to the end: procfs reports no size, and one read returns a page at most.
        guard let data = FileHandle(forReadingAtPath: "/proc/\(pid)/mountinfo")?.readDataToEndOfFile() else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 ? String(fields[4]) : nil
        }
    }

    /// Whether a mount point ending with `suffix` shows up in `pid`'s mount table; gives up
    /// after a generous while, which only a failure waits for.
    static func waitForMount(in pid: Int32, endingWith suffix: String) -> Bool {
        for _ in 0..<10_000 {
            if mounts(of: pid).contains(where: { $0.hasSuffix(suffix) }) { return true }
            usleep(1000)
        }
        return false
    }

    /// The pids-controller group `pid` is in, when it is a session group of Cordon's.
    static func sessionGroup(of pid: Int32) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2)
            guard fields.count == 3, fields[1].split(separator: ",").contains("pids"), fields[2].contains("/cordon-") else { continue }
            return "/sys/fs/cgroup/pids" + fields[2]
        }
        return nil
    }

    /// A signal mask handed from one thread to another.
    final class Mask: @unchecked Sendable {
        struct Value { var value: sigset_t }
        private let done = Latch()
        private var recorded = sigset_t()
        func record(_ mask: sigset_t) {
            recorded = mask
            done.open()
        }
        func wait() -> Value {
            done.wait()
            return Value(value: recorded)
        }
    }
}
