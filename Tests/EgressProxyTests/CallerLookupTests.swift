import EgressProxy
import Foundation
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The procfs caller lookup finds the process holding the client end of a connection.
struct CallerLookupTests {
    /// A listener, a client connected to it, and both ends as the lookup is given them.
    static func loopbackConnection() throws -> (listener: Int32, client: RawClient, clientEnd: SocketEndpoint, serverEnd: SocketEndpoint) {
        let (listener, port) = try listeningSocket()
        let client = try RawClient(port: port)
        var sa = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(client.fd, $0, &len) } }
        return (listener, client, SocketEndpoint(address: [127, 0, 0, 1], port: UInt16(bigEndian: sa.sin_port)),
                SocketEndpoint(address: [127, 0, 0, 1], port: port))
    }

    @Test func findsThisProcessAsTheCallerOfItsOwnConnection() throws {
        let (listener, client, clientEnd, serverEnd) = try Self.loopbackConnection()
        defer { close(listener) }
        let caller = ProcfsCallerLookup().caller(client: clientEnd, server: serverEnd)
        #expect(caller?.pid == getpid())
        #expect(caller?.executable == (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")))
        // Negative control: an endpoint nobody holds has no caller.
        #expect(ProcfsCallerLookup().caller(client: SocketEndpoint(address: [127, 0, 0, 1], port: 1), server: serverEnd) == nil)
    }

    /// A child that inherited the client's socket holds it too, and started later: the caller
    /// is still the process that handed it down.
    @Test func aSocketHandedDownToAChildStillNamesItsOwner() throws {
        let (listener, client, clientEnd, serverEnd) = try Self.loopbackConnection()
        defer { close(listener) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, client.fd, 3)
        var child: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("60"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&child, "/bin/sleep", &actions, nil, argv, environ) == 0)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        // Control: the child really holds the socket.
        let socketLink = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(client.fd)")
        var held = false
        for _ in 0..<500 where !held {
            held = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child)/fd/3")) == socketLink
            if !held { usleep(2000) }
        }
        #expect(held)
        #expect(ProcfsCallerLookup().caller(client: clientEnd, server: serverEnd)?.pid == getpid())
    }
}

/// The production resolver runs getaddrinfo off the event loop and fills in the port.
@Test func systemResolverAnswersFromTheSystem() async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let addresses = try await SystemResolver().resolve(host: "localhost", port: 8080, on: group.next()).get()
    #expect(addresses.contains { $0.ipAddress == "127.0.0.1" && $0.port == 8080 })
    try await group.shutdownGracefully()
}
