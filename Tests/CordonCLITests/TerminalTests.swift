import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A program on the relayed pty, with a pty the test opens itself (CI has no terminal).
@Suite struct TerminalTests {
    @Test func theAgentGetsItsOwnTerminalWithOurSizeAndNoClipboardWrites() throws {
        let tree = try TestTree()
        // posix_openpt, unlockpt and ptsname are hidden from Swift's Glibc: the same through
        // /dev/ptmx and the ioctls they wrap (TIOCSPTLCK, TIOCGPTN; function-like macros, so
        // the numbers are spelled out).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #expect(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, UInt(0x4004_5431), &unlock) == 0 && ioctl(master, UInt(0x8004_5430), &number) == 0)
        let slavePath = "/dev/pts/\(number)"
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
