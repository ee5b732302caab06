import NIOCore
import NIOPosix

/// The egress proxy of one session: HTTP (CONNECT and absolute-URI forwarding) and SOCKS5 on
/// the same listening sockets, told apart by the first byte.
///
/// The sockets are bound and listening already: in production the launcher creates them inside
/// the sandbox's network namespace and passes them over `SCM_RIGHTS`; tests bind them on the
/// host's loopback.
public final class EgressProxyServer: Sendable {
    /// The session whose capabilities this proxy enforces.
    public let session: EgressSession
    private let channels: [any Channel]

    private init(session: EgressSession, channels: [any Channel]) {
        self.session = session
        self.channels = channels
    }

    /// The addresses the proxy is listening on.
    public var localAddresses: [SocketAddress] { channels.compactMap(\.localAddress) }

    /// Serves the proxy on already-listening TCP sockets; the server owns them from now on.
    public static func start(
        session: EgressSession, listeningSockets: [CInt], group: any EventLoopGroup
    ) -> EventLoopFuture<EgressProxyServer> {
        let bootstrap = ServerBootstrap(group: group)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: RelayTuning.recvAllocator)
            .childChannelOption(.writeBufferWaterMark, value: RelayTuning.writeWaterMark)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let client = admit(channel, session: session, kind: .proxy) else { return }
                    try channel.pipeline.syncOperations.addHandler(ProtocolSniffer(client: client))
                }
            }
        return serve(listeningSockets, with: bootstrap, on: group).map { EgressProxyServer(session: session, channels: $0) }
    }

    /// Stops accepting; open connections continue until they end or are cut.
    public func close() -> EventLoopFuture<Void> {
        guard let first = channels.first else { fatalError("a server always has a channel") }
        let closes = channels.map { $0.close() }
        return EventLoopFuture.andAllComplete(closes, on: first.eventLoop)
    }

    /// Counts a new client against the session bound, arms the idle bound, and returns the
    /// client's context; refuses (recorded) and closes when the session is at its bound.
    static func admit(_ channel: any Channel, session: EgressSession, kind: EgressRecord.Kind) -> ClientContext? {
        guard session.connections.admitClient(limit: session.limits.maxConnections) else {
            let request = EgressRequest(kind: kind, host: "", port: 0)
            session.emit(
                request, caller: PendingCaller(nil), outcome: .deny, address: nil, capability: nil,
                reason: "connection bound reached (\(session.limits.maxConnections) open)", sent: 0, received: 0)
            channel.close(promise: nil)
            return nil
        }
        channel.closeFuture.whenComplete { _ in session.connections.releaseClient() }
        let idle = session.limits.idleTimeout
        try? channel.pipeline.syncOperations.addHandlers([IdleStateHandler(allTimeout: idle), IdleCloser()])
        return ClientContext(session: session, channel: channel, kind: kind)
    }

    static func serve(_ sockets: [CInt], with bootstrap: ServerBootstrap, on group: any EventLoopGroup) -> EventLoopFuture<[any Channel]> {
        let loop = group.next()
        guard !sockets.isEmpty else {
            return loop.makeFailedFuture(
                EgressProxyError(
                    code: .listener, operation: "start egress listener", reason: "no listening socket was given",
                    remedy: "pass at least one bound, listening TCP socket"))
        }
        let started = sockets.map { fd in
            bootstrap.withBoundSocket(fd).flatMapErrorThrowing { error in
                throw EgressProxyError(
                    code: .listener, operation: "serve on descriptor \(fd)", reason: "\(error)",
                    remedy: "pass a bound, listening TCP socket")
            }
        }
        return EventLoopFuture.whenAllSucceed(started, on: loop)
    }
}
