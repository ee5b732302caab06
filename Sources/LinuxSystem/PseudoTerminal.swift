import CCordonLinux
import SystemPackage

/// A pseudo-terminal in the caller's own devpts (for the supervisor's side and for tests; the
/// sandbox's terminal is made inside the sandbox's devpts by the launcher).
public enum PseudoTerminal {
    /// Opens a master and returns it with the path of its unlocked slave.
    public static func open() throws(LinuxSystemError) -> (master: FileDescriptor, slavePath: String) {
        var path = [CChar](repeating: 0, count: 64)
        let fd = cordon_open_pseudo_terminal(&path, path.count)
        if fd < 0 { throw LinuxSystemError(operation: "open", path: "/dev/ptmx", errno: Errno(rawValue: -fd)) }
        return (FileDescriptor(rawValue: fd), String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
