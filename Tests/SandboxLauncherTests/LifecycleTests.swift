#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SandboxLauncher
import SandboxPolicy
import SystemPackage
import Testing

@Suite("Lifecycle: exit status, signals, failures")
struct LifecycleTests {
    @Test("a program killed by a signal comes back as signaled")
    func signaledByItself() throws {
        let scratch = try Scratch()
        #expect(try run(Plans.base(scratch, script: "kill -TERM $$")) == .signaled(SIGTERM))
    }

    @Test("a signal sent through the pidfd reaches the program through the reaper")
    func signalForwarded() throws {
        let scratch = try Scratch()
        let process = try SandboxLauncher().launch(Plans.shell(scratch, argv: ["sleep", "1000"]))
        try process.signal(SIGTERM)
        #expect(process.waitForExit() == .signaled(SIGTERM))
        #expect(throws: LaunchError.self) { try process.signal(SIGTERM) }
    }

    @Test("a held sandbox starts its program only when released, and never when killed first")
    func heldUntilReleased() throws {
        let scratch = try Scratch()
        let plan = Plans.base(scratch, script: "echo ran > /out/ran")
        let held = try SandboxLauncher().launchHeld(plan)
        // The reaper forks the program only after the release: it has no child yet.
        #expect(Self.children(of: held.pid) == "")
        try held.signal(SIGKILL)
        #expect(held.waitForExit() == .signaled(SIGKILL))
        #expect(scratch.read("out/ran") == nil)
        // Positive control: the same plan, released, runs.
        let released = try SandboxLauncher().launchHeld(plan)
        #expect(Self.children(of: released.pid) == "")
        try released.release()
        #expect(released.waitForExit() == .exited(0))
        #expect(scratch.read("out/ran") == "ran\n")
    }

    @Test("a program that cannot be exec'd fails at the release, naming the step")
    func failingRelease() throws {
        let scratch = try Scratch()
        let held = try SandboxLauncher().launchHeld(Plans.shell(scratch, argv: ["/usr/bin/no-such-program"]))
        let error = try #require(throws: LaunchError.self) { try held.release() }
        #expect(error.step == "exec" && error.errno == .noSuchFileOrDirectory)
        // The sandbox ends: killed by the release, or first by its own report of the failed exec.
        let exit = held.waitForExit()
        #expect(exit == .signaled(SIGKILL) || exit == .exited(127), "\(exit)")
    }

    /// The pids of `pid`'s children as procfs lists them.
    static func children(of pid: Int32) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("SIGKILL ends the whole sandbox")
    func killed() throws {
        let scratch = try Scratch()
        let process = try SandboxLauncher().launch(Plans.base(scratch, script: "sleep 1000 & sleep 1000"))
        try process.signal(SIGKILL)
        #expect(process.waitForExit() == .signaled(SIGKILL))
    }

    @Test("a missing working directory is a LaunchError naming the step and the layer")
    func missingWorkingDirectory() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "true")
        plan.workingDirectory = "/nowhere"
        let error = try #require(throws: LaunchError.self) { try run(plan) }
        #expect(error.layer == "view")
        #expect(error.step == "workingDirectory")
        #expect(error.errno == .noSuchFileOrDirectory)
    }

    @Test("a mount step that cannot be applied is a LaunchError naming the step and its paths, in the view's base too",
          arguments: [false, true])
    func failingMountStep(inTheBase: Bool) throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "echo ran > /out/ran")
        // After the root is read-only, no mount point can be created in it.
        plan.mounts.append(.bind(source: scratch.data, target: "/late", writable: false, executable: false))
        // As the base, every step is applied before the plan is handed over.
        if inTheBase { plan.baseMountCount = plan.mounts.count }
        let error = try #require(throws: LaunchError.self) { try run(plan) }
        #expect(error.layer == "view")
        #expect(error.step == "mountMkdir")
        #expect(error.errno == .readOnlyFileSystem)
        #expect(error.message.contains("mount step \(plan.mounts.count - 1)") && error.message.contains("/late"))
        #expect(scratch.read("out/ran") == nil)
        // Positive control: the same step before the root is made read-only works.
        plan.mounts.insert(plan.mounts.removeLast(), at: 0)
        #expect(try run(plan) == .exited(0))
        #expect(scratch.read("out/ran") == "ran\n")
    }

    @Test("a missing program is a LaunchError at exec with ENOENT")
    func missingProgram() throws {
        let scratch = try Scratch()
        let error = try #require(throws: LaunchError.self) { try run(Plans.shell(scratch, argv: ["no-such-program"])) }
        #expect(error.step == "exec")
        #expect(error.errno == .noSuchFileOrDirectory)
        #expect(error.description.contains("execute the program"))
    }

    @Test("a listener on an address the namespace lacks is a LaunchError naming the address")
    func badListener() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "true")
        plan.listeners = [LoopbackListener(address: "10.1.2.3", port: 1)]
        let error = try #require(throws: LaunchError.self) { try run(plan) }
        #expect(error.layer == "network")
        #expect(error.step == "listener")
        #expect(error.message.contains("10.1.2.3:1"))
    }

    @Test("a plan needing a newer Landlock ABI than the kernel's is refused before anything runs")
    func landlockTooNew() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "echo ran > /out/ran")
        var ruleset = Plans.landlock()
        ruleset.minimumABI = 99
        plan.landlock = ruleset
        let error = try #require(throws: LaunchError.self) { try run(plan) }
        #expect(error.layer == "landlock")
        #expect(scratch.read("out/ran") == nil)
    }

    @Test("a relayed terminal without a devpts in the plan is refused")
    func terminalWithoutDevpts() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "true")
        plan.terminal = .relayedPseudoTerminal
        plan.mounts.removeAll { if case .devpts = $0 { return true } else { return false } }
        let error = try #require(throws: LaunchError.self) { try run(plan) }
        #expect(error.layer == "terminal")
    }

    @Test("the kernel probe finds what this kernel offers")
    func probe() {
        let features = SandboxLauncher.probeKernel()
        #expect((features.landlockABI ?? 0) >= 1, "\(features.notes)")
        #expect(features.seccompFilter)
        #expect(features.userNamespaces, "\(features.notes)")
    }
}
