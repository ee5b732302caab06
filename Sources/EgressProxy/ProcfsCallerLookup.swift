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
            let fdDirectory = "/proc/\(pid)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
            for fd in fds where (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(fd)")) == target {
                let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
                return Caller(pid: pid, executable: exe)
            }
        }
        return Caller(pid: nil, executable: nil)
    }

    private func candidates() -> [Int32] {
        guard let root = namespacePID else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return names.compactMap(Int32.init)
        }
        var out: [Int32] = []
        var queue = [root]
        while let pid = queue.popLast(), out.count < 4096 {
            out.append(pid)
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            for tid in tasks {
                let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/children", encoding: .utf8)) ?? ""
                queue += children.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        return out
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
