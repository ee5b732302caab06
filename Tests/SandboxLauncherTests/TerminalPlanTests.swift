#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy
import SystemPackage
import Testing

@Suite("Terminal: the plan's size and streams")
struct TerminalPlanTests {
    @Test("the pty has the plan's size before the program starts; nobody touches the master first")
    func sizeBeforeStart() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "stty size")
        plan.terminal = .relayedPseudoTerminal
        plan.terminalSize = TerminalSize(rows: 33, columns: 77)
        let process = try SandboxLauncher().launch(plan)
        let master = try #require(process.terminal)
        let output = readAll(master)
        #expect(process.waitForExit() == .exited(0))
        try master.close()
        #expect(output == "33 77\r\n")
        // Control: without a size in the plan the kernel's 0x0 is what the program sees.
        plan.terminalSize = nil
        let unsized = try SandboxLauncher().launch(plan)
        let unsizedMaster = try #require(unsized.terminal)
        let unsizedOutput = readAll(unsizedMaster)
        #expect(unsized.waitForExit() == .exited(0))
        try unsizedMaster.close()
        #expect(unsizedOutput == "0 0\r\n")
    }

    @Test("only the plan's terminal streams become the pty; the others stay inherited")
    func onlyTerminalStreams() throws {
        let scratch = try Scratch()
        let script = "r=; for fd in 0 1 2; do if [ -t $fd ]; then r=\"$r tty\"; else r=\"$r other\"; fi; done; echo $r > /out/streams"
        var plan = Plans.base(scratch, script: script)
        plan.terminal = .relayedPseudoTerminal
        plan.terminalStreams = [.input, .error]
        let process = try SandboxLauncher().launch(plan)
        let master = try #require(process.terminal)
        _ = readAll(master)
        #expect(process.waitForExit() == .exited(0))
        try master.close()
        // stdout is this test's own, inherited as it is.
        #expect(scratch.read("out/streams") == "tty \(isatty(1) == 1 ? "tty" : "other") tty\n")
    }
}
