import Foundation

/// Finds the caller of a TCP connection through procfs: the socket's inode from the TCP table
/// of the client's network namespace, then the process holding a descriptor for that inode.
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
        guard let inode = socketInode(in: "\(base)/\(table)", local: client, remote: server) else { return nil }
        let target = "socket:[\(inode)]"
        for pid in candidates() {
            for fd in Self.entries("/proc/\(pid)/fd") where Self.link("/proc/\(pid)/fd/\(fd)") == target {
                return Caller(pid: pid, executable: Self.link("/proc/\(pid)/exe"))
            }
        }
        return Caller(pid: nil, executable: nil)
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

    private static func link(_ path: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { readlink(path, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    private func socketInode(in path: String, local: SocketEndpoint, remote: SocketEndpoint) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
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
