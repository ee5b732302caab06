import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal the test owns: CI has no terminal, so every terminal case makes its own.
final class PseudoTerminal {
    let master: Int32
    let slave: Int32
    let slavePath: String

    /// `TIOCGPTN` and `TIOCSPTLCK`: function-like `_IOR`/`_IOW` macros Swift cannot import.
    private static let getPTYNumber: UInt = 0x8004_5430
    private static let setPTYLock: UInt = 0x4004_5431

    /// Opens `/dev/ptmx` directly: posix_openpt, unlockpt and ptsname are not visible to Swift.
    init() throws {
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw TerminalError("open /dev/ptmx: \(String(cString: strerror(errno)))") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, Self.setPTYLock, &unlock) == 0, ioctl(master, Self.getPTYNumber, &number) == 0 else {
            close(master)
            throw TerminalError("unlock /dev/ptmx: \(String(cString: strerror(errno)))")
        }
        slavePath = "/dev/pts/\(number)"
        slave = open(slavePath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw TerminalError("open \(slavePath): \(String(cString: strerror(errno)))") }
    }

    deinit {
        close(slave)
        close(master)
    }

    /// Lets someone else use the slave (the unprivileged user's probe).
    func handOver(to user: TestUser) {
        if let ids = user.ids { chown(slavePath, ids.uid, ids.gid) }
    }

    /// Whatever is waiting in the terminal's input queue: what a shell reading this terminal
    /// would receive next. Injected keystrokes land here.
    func pendingInput() -> String { drain(slave) }

    /// Whatever the program wrote to the terminal.
    func pendingOutput() -> String { drain(master) }

    /// Sends keystrokes as a person typing would.
    func type(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count - 1) }
    }

    /// Reads until `needle` appears in the output or the watchdog runs out.
    func waitForOutput(containing needle: String, deadline: Double = 30) -> String {
        var seen = ""
        let end = Date().addingTimeInterval(deadline)
        while Date() < end, !seen.contains(needle) {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            seen += String(decoding: buffer[0..<n], as: UTF8.self)
        }
        return seen
    }

    private func drain(_ fd: Int32) -> String {
        var collected = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0, p.revents & Int16(POLLIN) != 0 else { break }
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            collected += buffer[0..<n]
        }
        return String(decoding: collected, as: UTF8.self)
    }
}

struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
