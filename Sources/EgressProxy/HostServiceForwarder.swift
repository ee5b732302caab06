import NIOCore
import NIOPosix
import SandboxPolicy

/// Forwards one host service by name: a listener inside the sandbox on `127.0.0.1:PORT` or
/// `[::1]:PORT` whose connections the supervisor relays to the same address and port on the
/// host, so clients that ignore proxy variables (`psql`, `ssh`) reach exactly the service a
/// capability named, and nothing else.
public final class HostServiceForwarder: Sendable {
    /// What one forwarder serves.
    public struct Service: Sendable, Hashable {
        /// The address inside the sandbox and on the host: `127.0.0.1` or `::1`.
        public var address: String
        /// The port, the same inside and on the host.
        public var port: UInt16
        /// Creates a service description.
        public init(address: String, port: UInt16) {
            self.address = address
            self.port = port
        }
    }

    /// The session whose capabilities decide each connection.
    public let session: EgressSession
    /// The service forwarded.
    public let service: Service
    private let channel: any Channel

    private init(session: EgressSession, service: Service, channel: any Channel) {
        self.session = session
        self.service = service
        self.channel = channel
    }

    /// The listeners a sandbox needs for `patterns`: one per loopback address a
    /// `localhost`, `127.0.0.1` or `::1` capability with a fixed port names (a `*` port cannot
    /// be listened on in advance; such a service stays reachable through the proxy).
    public static func services(for patterns: [NetworkEndpointPattern]) -> [Service] {
        var out: [Service] = []
        for pattern in patterns {
            guard let port = pattern.port else { continue }
            switch pattern.host {
            case .name("localhost"):
                out += [Service(address: "127.0.0.1", port: port), Service(address: "::1", port: port)]
            case .address(let a) where IPAddressLiteral.bytes(a) == [127, 0, 0, 1]:
                out.append(Service(address: "127.0.0.1", port: port))
            case .address(let a) where IPAddressLiteral.bytes(a) == [UInt8](repeating: 0, count: 15) + [1]:
                out.append(Service(address: "::1", port: port))
            default:
                continue
            }
        }
        var seen = Set<Service>()
        return out.filter { seen.insert($0).inserted }
    }

    /// Serves `service` on an already-listening socket; the forwarder owns it from now on.
    /// Each connection is allowed only while a capability still names the service (by
    /// `localhost` or by its address) and is recorded like a proxy connection.
    public static func start(
        session: EgressSession, service: Service, listeningSocket: CInt, group: any EventLoopGroup
    ) -> EventLoopFuture<HostServiceForwarder> {
        let bootstrap = ServerBootstrap(group: group)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: RelayTuning.recvAllocator)
            .childChannelOption(.writeBufferWaterMark, value: RelayTuning.writeWaterMark)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let client = EgressProxyServer.admit(channel, session: session, kind: .forward) else { return }
                    forward(client, service: service)
                }
            }
        return EgressProxyServer.serve([listeningSocket], with: bootstrap, on: group).map {
            HostServiceForwarder(session: session, service: service, channel: $0[0])
        }
    }

    /// Stops accepting; open connections continue until they end or are cut.
    public func close() -> EventLoopFuture<Void> {
        channel.close()
    }

    private static func forward(_ client: ClientContext, service: Service) {
        let session = client.session
        // A `localhost` grant and a literal grant both name the service.
        let named = session.rules.match(host: service.address, port: service.port) != nil ? service.address : "localhost"
        let request = EgressRequest(kind: .forward, host: named, port: service.port)
        let target: SocketAddress
        do {
            target = try SocketAddress(ipAddress: service.address, port: Int(service.port))
        } catch {
            client.channel.close(promise: nil)
            return
        }
        let channel = client.channel
        session.open(request, client: client, pinned: target).whenComplete { result in
            switch result {
            case .failure:
                channel.close(promise: nil)
            case .success(let upstream):
                client.handshakeFinished()
                let (mine, theirs) = RelayHandler.pair()
                do {
                    try upstream.channel.pipeline.syncOperations.addHandler(theirs)
                    try channel.pipeline.syncOperations.addHandler(mine)
                } catch {
                    channel.close(promise: nil)
                    upstream.channel.close(promise: nil)
                    return
                }
                channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                upstream.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            }
        }
    }
}
