import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Blocking client sockets: the same code drives the direct, Cordon and tinyproxy runs.
struct BenchSocket {
    let fd: CInt

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: CInt = 1
        setsockopt(fd, CInt(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<CInt>.size))
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        sa.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else {
            Glibc.close(fd)
            throw BenchError("connect 127.0.0.1:\(port): errno \(errno)")
        }
    }

    /// Connects either directly to the origin or through a proxy with `CONNECT`.
    static func open(_ route: Route, origin: UInt16) throws -> BenchSocket {
        switch route {
        case .direct:
            return try BenchSocket(port: origin)
        case .proxy(_, let port):
            let s = try BenchSocket(port: port)
            s.send("CONNECT 127.0.0.1:\(origin) HTTP/1.1\r\nHost: 127.0.0.1:\(origin)\r\n\r\n")
            let head = s.readHead()
            guard head.hasPrefix("HTTP/1.1 200") || head.hasPrefix("HTTP/1.0 200") else {
                s.close()
                throw BenchError("CONNECT refused: \(head.prefix(60))")
            }
            return s
        }
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            off += n
        }
    }

    /// Reads byte by byte up to the blank line, so no tunnelled byte is consumed.
    func readHead() -> String {
        var got = [UInt8]()
        var b: UInt8 = 0
        while !(got.count >= 4 && got.suffix(4) == [13, 10, 13, 10]) {
            guard recv(fd, &b, 1, 0) == 1 else { break }
            got.append(b)
        }
        return String(decoding: got, as: UTF8.self)
    }

    func readExactly(_ count: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer[got...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return false }
            got += n
        }
        return true
    }

    /// Reads to the end of the stream; returns the byte count.
    func drain() -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return total }
            total += n
        }
    }

    func close() { Glibc.close(fd) }
}

enum Route {
    case direct
    case proxy(name: String, port: UInt16)

    var name: String {
        switch self {
        case .direct: return "direct"
        case .proxy(let name, _): return name
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func openDescriptors(pid: Int32? = nil) -> Int {
    let path = pid.map { "/proc/\($0)/fd" } ?? "/proc/self/fd"
    return (try? FileManager.default.contentsOfDirectory(atPath: path).count) ?? -1
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : s[s.count / 2]
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : s[min(s.count - 1, Int(Double(s.count) * p))]
}
