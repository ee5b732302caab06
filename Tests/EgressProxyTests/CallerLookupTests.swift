import EgressProxy
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The procfs caller lookup finds the process holding the client end of a connection.
struct CallerLookupTests {
    @Test func findsThisProcessAsTheCallerOfItsOwnConnection() throws {
        let (listener, port) = try listeningSocket()
        defer { close(listener) }
        let client = try RawClient(port: port)
        var sa = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client.fd, $0, &len) } }
        let clientEnd = SocketEndpoint(address: [127, 0, 0, 1], port: UInt16(bigEndian: sa.sin_port))
        let serverEnd = SocketEndpoint(address: [127, 0, 0, 1], port: port)
        let caller = ProcfsCallerLookup().caller(client: clientEnd, server: serverEnd)
        #expect(caller?.pid == getpid())
        #expect(caller?.executable == (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")))
        // Negative control: an endpoint nobody holds has no caller.
        #expect(ProcfsCallerLookup().caller(client: SocketEndpoint(address: [127, 0, 0, 1], port: 1), server: serverEnd) == nil)
    }
}
