import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP server on the host for one test: answers every request with a fixed body.
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let descriptor: Int32

    init(body: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
        let listening = fd
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        Thread.detachNewThread {
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 { if errno == EINTR { continue } else { return } }
                var request = [UInt8](repeating: 0, count: 4096)
                var received = [UInt8]()
                while !received.ends(with: Array("\r\n\r\n".utf8)) {
                    let count = read(client, &request, request.count)
                    if count <= 0 { break }
                    received += request[..<count]
                }
                _ = response.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                close(client)
            }
        }
    }

    deinit { shutdown(descriptor, Int32(SHUT_RDWR)); close(descriptor) }
}

extension Array where Element: Equatable {
    func ends(with suffix: [Element]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

/// `cordon run --allow-net`: the named host service is reachable, through the proxy and by its
/// forwarded port; nothing else is, and every connection is in the audit log.
@Suite struct RunNetworkTests {
    static func hostCurl(_ url: String) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-m", "10", "--noproxy", "*", url]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func onlyTheNamedLoopbackServiceIsReachable() throws {
        let tree = try TestTree()
        let allowed = try LoopbackHTTPServer(body: "allowed-service")
        let other = try LoopbackHTTPServer(body: "other-service")
        let script = """
        curl -s -m 10 http://127.0.0.1:\(allowed.port)/; echo " forwarded=$?"
        curl -s -m 10 --noproxy '' -x http://127.0.0.1:3128 http://127.0.0.1:\(allowed.port)/; echo " proxied=$?"
        curl -s -m 10 --noproxy '' -x http://127.0.0.1:3128 -D - -o /dev/null http://127.0.0.1:\(other.port)/; echo " refused=$?"
        curl -s -m 10 --noproxy '*' http://127.0.0.1:\(other.port)/; echo " direct=$?"
        """
        // Positive control: both servers answer on the host.
        for server in [allowed, other] {
            let outside = try Self.hostCurl("http://127.0.0.1:\(server.port)/")
            #expect(outside.hasSuffix("-service"), "\(outside)")
        }
        let result = try tree.cordon(["run", "--allow-net", "127.0.0.1:\(allowed.port)", "--", "sh", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout
        #expect(lines.contains("allowed-service forwarded=0"), "\(lines)")
        #expect(lines.contains("allowed-service proxied=0"), "\(lines)")
        #expect(lines.contains("HTTP/1.1 403"), "\(lines)")
        #expect(lines.lowercased().contains("x-cordon-deny: network:127.0.0.1:\(other.port)"), "\(lines)")
        #expect(!lines.contains("other-service"), "\(lines)")
        #expect(!lines.contains("direct=0"), "\(lines)")

        let records = try RunAuditTests.records(in: RunAuditTests.defaultDirectory(tree))
        let decisions = records.filter { $0["kind"] as? String == "decision" }
        #expect(decisions.contains { $0["decision"] as? String == "allow" && $0["port"] as? Int == Int(allowed.port) })
        #expect(decisions.contains { $0["decision"] as? String == "deny" && $0["port"] as? Int == Int(other.port) })
        #expect(records.last?["kind"] as? String == "session.stop")
        #expect(try tree.cordon(["audit", "verify"]).status == 0)
    }

    @Test func aSessionWithoutNetworkCapabilitiesHasAProxyThatGrantsNothing() throws {
        let tree = try TestTree()
        let server = try LoopbackHTTPServer(body: "host-service")
        // Positive control: the server answers on the host.
        #expect(try Self.hostCurl("http://127.0.0.1:\(server.port)/") == "host-service")
        let script = """
        echo "proxy=${HTTP_PROXY:-none}"
        curl -s -m 10 -D - -o /dev/null --noproxy '' http://127.0.0.1:\(server.port)/; echo " proxied=$?"
        curl -s -m 10 --noproxy '*' http://127.0.0.1:\(server.port)/; echo " direct=$?"
        """
        let result = try tree.cordon(["run", "--", "sh", "-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("proxy=http://127.0.0.1:3128\n"), "\(result.stdout)")
        #expect(result.stdout.contains("HTTP/1.1 403"), "\(result.stdout)")
        #expect(result.stdout.lowercased().contains("x-cordon-deny: network:127.0.0.1:\(server.port)"), "\(result.stdout)")
        #expect(!result.stdout.contains("host-service"), "\(result.stdout)")
        #expect(!result.stdout.contains("direct=0"), "\(result.stdout)")
    }
}
