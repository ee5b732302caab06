#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy
import SystemPackage
import Testing

/// Reads `fd` until end of file or EIO (a pty master whose slave side is gone).
func readAll(_ fd: FileDescriptor) -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while let n = try? chunk.withUnsafeMutableBytes({ try fd.read(into: $0) }), n > 0 {
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

@Suite("Streams: pseudo-terminal and loopback listeners")
struct StreamsTests {
    @Test("the pty master arrives and the program sees a terminal in the sandbox's own devpts")
    func pseudoTerminal() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "tty; test -t 0 && test -t 1 && echo interactive; ls /dev/pts")
        plan.terminal = .relayedPseudoTerminal
        let process = try SandboxLauncher().launch(plan)
        let master = try #require(process.terminal)
        let output = readAll(master)
        #expect(process.waitForExit() == .exited(0))
        try master.close()
        let lines = output.split(whereSeparator: { $0 == "\r" || $0 == "\n" })
        #expect(lines.first == "/dev/pts/0")
        #expect(lines.contains("interactive"))
        // A new devpts instance holds only this sandbox's terminal.
        #expect(lines.suffix(2) == ["0", "ptmx"])
    }

    @Test("without a terminal the program has no controlling tty")
    func noTerminal() throws {
        let scratch = try Scratch()
        #expect(try run(Plans.base(scratch, script: "if test -t 0; then echo tty; else echo none; fi > /out/tty; </dev/tty 2>/dev/null && echo opened >> /out/tty; true")) == .exited(0))
        #expect(scratch.read("out/tty") == "none\n")
    }

    @Test("a listener made inside arrives and accepts a connection made inside over loopback")
    func listener() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "echo hello-from-inside > /dev/tcp/127.0.0.1/40123")
        plan.argv = ["bash", "-c", plan.argv[2]]
        plan.listeners = [LoopbackListener(address: "127.0.0.1", port: 40123), LoopbackListener(address: "::1", port: 0)]
        let process = try SandboxLauncher().launch(plan)
        #expect(process.listeners.count == 2)
        let listener = try #require(process.listeners.first)
        let connection = accept(listener.rawValue, nil, nil)
        #expect(connection >= 0)
        let text = readAll(FileDescriptor(rawValue: connection))
        close(connection)
        #expect(text == "hello-from-inside\n")
        #expect(process.waitForExit() == .exited(0))

        var address = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(process.listeners[1].rawValue, $0, &length) }
        }
        #expect(rc == 0 && address.sin6_family == sa_family_t(AF_INET6) && address.sin6_port != 0)
        for fd in process.listeners { try fd.close() }
    }

    @Test("the network namespace has loopback up and nothing else reachable")
    func loopbackOnly() throws {
        let scratch = try Scratch()
        var plan = Plans.base(scratch, script: "cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' > /out/ifaces; (echo > /dev/tcp/127.0.0.1/9) 2>&1 | grep -o 'Connection refused' > /out/lo")
        plan.argv = ["bash", "-c", plan.argv[2]]
        #expect(try run(plan) == .exited(0))
        #expect(scratch.read("out/ifaces") == "lo\n")
        // "refused" (not "unreachable"): loopback is up and answers.
        #expect(scratch.read("out/lo") == "Connection refused\n")
    }
}
