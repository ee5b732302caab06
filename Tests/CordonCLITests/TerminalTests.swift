import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A program on the relayed pty, with a pty the test opens itself (CI has no terminal).
@Suite struct TerminalTests {
    @Test func theAgentGetsItsOwnTerminalWithOurSizeAndNoClipboardWrites() throws {
        let tree = try TestTree()
        let master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        #expect(master >= 0)
        defer { close(master) }
        #expect(grantpt(master) == 0 && unlockpt(master) == 0)
        let slavePath = String(cString: ptsname(master))
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        #expect(ioctl(master, UInt(TIOCSWINSZ), &size) == 0)
        let slave = FileHandle(forUpdatingAtPath: slavePath)!

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CordonProcess.binary)
        process.arguments = ["run", "--", "sh", "-c", "tty; stty size; printf '\\033]52;c;aGk=\\007after\\n'"]
        process.currentDirectoryURL = URL(fileURLWithPath: tree.workspace)
        process.environment = tree.environment.merging(["TERM": "xterm"]) { _, b in b }
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        try slave.close()

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { break }  // EIO once cordon, the last holder of the slave, has gone
            output += buffer[..<count]
        }
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("/dev/pts/0"))
        #expect(text.contains("40 100"))
        #expect(text.contains("after"))
        #expect(!text.contains("]52;"))
    }
}
