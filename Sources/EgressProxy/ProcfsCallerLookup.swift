import Foundation

/// Finds the caller of a TCP connection through procfs: the socket's inode from the TCP table
/// of the client's network namespace, then the process holding a descriptor for that inode
/// (the one that started first, when it was handed down to others).
///
/// Inside a sandbox, pass the pid of a process in it (its init): the TCP table is read through
/// that process's view and only its descendants are searched. Without one, the supervisor's own
/// namespace and every process are searched (tests, and host-service forwarders on the host).
public struct ProcfsCallerLookup: CallerLookup {
    private let namespacePID: Int32?

    /// Creates a lookup for connections from the network namespace of `namespacePID` (or this
    /// process's own when `nil`).
    public init(namespacePID: Int32? = nil) {
        self.namespacePID = namespacePID
    }

    /// The process whose socket is bound to `client` and connected to `server`.
    public func caller(client: SocketEndpoint, server: SocketEndpoint) -> Caller? {
        let base = namespacePID.map { "/proc/\($0)/net" } ?? "/proc/self/net"
        let table = client.address.count == 4 ? "tcp" : "tcp6"
        // The TCP table is read in several chunks and is not a snapshot: an entry can be
        // skipped while other sockets come and go, so a miss is retried.
        var found: String?
        for _ in 0..<5 where found == nil {
            found = socketInode(in: "\(base)/\(table)", local: client, remote: server)
        }
        guard let inode = found else { return nil }
        let target = "socket:[\(inode)]"
        for _ in 0..<2 {
            let holders = candidates().filter { pid in
                Self.entries("/proc/\(pid)/fd").contains { Self.link("/proc/\(pid)/fd/\($0)") == target }
            }
            // A socket is shared by every process that inherited it (a child not yet past its
            // exec holds copies of all its parent's descriptors); the one that started first
            // handed it down to the others.
            if let (_, pid) = holders.map({ (Self.startTime($0) ?? .max, $0) }).min(by: <) {
                return Caller(pid: pid, executable: Self.link("/proc/\(pid)/exe"))
            }
        }
        return Caller(pid: nil, executable: nil)
    }

    /// When the process started, in clock ticks since boot (field 22 of its stat file).
    private static func startTime(_ pid: Int32) -> UInt64? {
        guard let stat = readAll("/proc/\(pid)/stat"), let end = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name, which may hold spaces, start at field 3.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// Newest processes first: the caller usually just started, and a short-lived one may be
    /// gone if it is searched for last.
    private func candidates() -> [Int32] {
        guard let root = namespacePID else {
            return Self.entries("/proc").compactMap(Int32.init).sorted(by: >)
        }
        var out: [Int32] = []
        var queue = [root]
        while let pid = queue.popLast(), out.count < 4096 {
            out.append(pid)
            for tid in Self.entries("/proc/\(pid)/task") {
                let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/children", encoding: .utf8)) ?? ""
                queue += children.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
            }
        }
        return out.sorted(by: >)
    }

    private static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Reads a procfs file to its end (its reported size is 0, so it is read until EOF).
    private static func readAll(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func link(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { readlink(path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    private func socketInode(in path: String, local: SocketEndpoint, remote: SocketEndpoint) -> String? {
        guard let text = Self.readAll(path) else { return nil }
        let wantLocal = Self.procfsText(local)
        let wantRemote = Self.procfsText(remote)
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 9, fields[1] == wantLocal, fields[2] == wantRemote else { continue }
            return String(fields[9])
        }
        return nil
    }

    /// The kernel's text for an endpoint: each 32-bit word of the address in host byte order as
    /// hex, a colon, the port as hex.
    static func procfsText(_ endpoint: SocketEndpoint) -> Substring {
        var address = ""
        for word in stride(from: 0, to: endpoint.address.count, by: 4) {
            let b = endpoint.address[word..<word + 4]
            let value = UInt32(b[word]) | UInt32(b[word + 1]) << 8 | UInt32(b[word + 2]) << 16 | UInt32(b[word + 3]) << 24
            address += String(format: "%08X", value)
        }
        return Substring(address + ":" + String(format: "%04X", endpoint.port))
    }
}
