import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Turns a host name into addresses for the proxy. The proxy asks only after a capability
/// matched the name, and connects only to addresses it got here and vetted.
public protocol EgressResolver: Sendable {
    /// The addresses of `host` with `port` filled in, as a future on `eventLoop`.
    func resolve(host: String, port: UInt16, on eventLoop: any EventLoop) -> EventLoopFuture<[SocketAddress]>
}

/// Why a name did not resolve.
public struct ResolutionFailure: Error, Sendable, CustomStringConvertible {
    /// The name that was asked for.
    public var host: String
    /// The resolver's explanation.
    public var reason: String
    /// Creates a failure.
    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }
    /// `cannot resolve HOST: reason`.
    public var description: String { "cannot resolve \(host): \(reason)" }
}

/// The system resolver (`getaddrinfo`), run on a thread pool because it blocks.
public struct SystemResolver: EgressResolver {
    private let threadPool: NIOThreadPool?

    /// Creates a resolver that blocks only threads of `threadPool`; without one, NIO's shared
    /// pool, started by the first name to resolve (a session that resolves nothing starts no
    /// threads for it).
    public init(threadPool: NIOThreadPool? = nil) {
        self.threadPool = threadPool
    }

    /// Resolves with `getaddrinfo` for TCP.
    public func resolve(host: String, port: UInt16, on eventLoop: any EventLoop) -> EventLoopFuture<[SocketAddress]> {
        (threadPool ?? .singleton).runIfActive(eventLoop: eventLoop) {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_protocol = Int32(IPPROTO_TCP)
            var list: UnsafeMutablePointer<addrinfo>?
            let rc = getaddrinfo(host, String(port), &hints, &list)
            guard rc == 0, let first = list else {
                throw ResolutionFailure(host: host, reason: String(cString: gai_strerror(rc)))
            }
            defer { freeaddrinfo(first) }
            var out: [SocketAddress] = []
            var next: UnsafeMutablePointer<addrinfo>? = first
            while let info = next {
                if let sa = info.pointee.ai_addr {
                    switch Int32(info.pointee.ai_family) {
                    case AF_INET:
                        out.append(sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                    case AF_INET6:
                        out.append(sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                    default: break
                    }
                }
                next = info.pointee.ai_next
            }
            guard !out.isEmpty else { throw ResolutionFailure(host: host, reason: "no IPv4 or IPv6 address") }
            return out
        }
    }
}

/// A fixed name-to-addresses table that remembers every name it was asked for, so a test can
/// prove that a denied name never reached resolution.
public final class NameMapResolver: EgressResolver {
    private let table: [String: [String]]
    private let asked = NIOLockedValueBox<[String]>([])

    /// Creates a resolver answering from `table` (lowercased name → IP literals).
    public init(_ table: [String: [String]]) {
        self.table = Dictionary(uniqueKeysWithValues: table.map { ($0.key.lowercased(), $0.value) })
    }

    /// Every name asked for so far, in order.
    public var queries: [String] { asked.withLockedValue { $0 } }

    /// Answers from the table; an unknown name fails like NXDOMAIN.
    public func resolve(host: String, port: UInt16, on eventLoop: any EventLoop) -> EventLoopFuture<[SocketAddress]> {
        let name = host.lowercased()
        asked.withLockedValue { $0.append(name) }
        guard let literals = table[name], !literals.isEmpty else {
            return eventLoop.makeFailedFuture(ResolutionFailure(host: host, reason: "name not known"))
        }
        do {
            return eventLoop.makeSucceededFuture(try literals.map { try SocketAddress(ipAddress: $0, port: Int(port)) })
        } catch {
            return eventLoop.makeFailedFuture(ResolutionFailure(host: host, reason: "\(error)"))
        }
    }
}
