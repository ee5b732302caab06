import NIOCore
import NIOPosix
import SandboxPolicy

/// A connected destination, its `ByteCounter` first in the pipeline and reads paused until the
/// caller has installed its handlers.
struct Upstream: Sendable {
    var channel: any Channel
    var address: SocketAddress
    var capability: NetworkEndpointPattern
}

/// Holds why a tunnel was cut, for its record.
private final class CutReason {
    var text: String?
}

extension EgressSession {
    /// Decides `request`, connects to a vetted address, and registers the tunnel so a live deny
    /// can cut it. Records a denial at once and an allowed connection when it closes. With
    /// `pinned`, the capability is still checked but the address is fixed (host-service ports).
    func open(_ request: EgressRequest, client: ClientContext, pinned: SocketAddress? = nil) -> EventLoopFuture<Upstream> {
        let loop = client.eventLoop
        let vetted: EventLoopFuture<VettedDestination>
        if let pinned {
            if let capability = rules.match(host: request.host, port: request.port) {
                vetted = loop.makeSucceededFuture(VettedDestination(addresses: [pinned], capability: capability))
            } else {
                let target = Self.display(host: request.host, port: request.port)
                vetted = loop.makeFailedFuture(
                    Denial(code: .noCapability, reason: "no network capability covers \(target)", capabilityNeeded: "network:\(target)"))
            }
        } else {
            vetted = vet(host: request.host, port: request.port, on: loop)
        }
        return vetted.flatMap { destination in
            self.connect(destination.addresses[...], on: loop).map { channel in
                Upstream(channel: channel, address: channel.remoteAddress ?? destination.addresses[0], capability: destination.capability)
            }
        }
        .flatMapErrorThrowing { error in
            let denial = Self.denial(for: error)
            self.emit(
                request, caller: client.caller, outcome: denial.outcome, address: nil, capability: nil, reason: denial.reason,
                sent: 0, received: 0)
            throw denial
        }
        .flatMapThrowing { upstream in
            try self.track(upstream, request: request, client: client)
            return upstream
        }
    }

    /// Records a refusal decided before any destination was chosen (bad request, Host mismatch).
    func refuse(_ request: EgressRequest, client: ClientContext, _ denial: Denial) {
        emit(request, caller: client.caller, outcome: denial.outcome, address: nil, capability: nil, reason: denial.reason, sent: 0, received: 0)
    }

    private func connect(_ addresses: ArraySlice<SocketAddress>, on loop: any EventLoop) -> EventLoopFuture<any Channel> {
        guard let address = addresses.first else {
            return loop.makeFailedFuture(Denial(code: .unreachable, reason: "no address to connect to", capabilityNeeded: nil))
        }
        return ClientBootstrap(group: loop)
            .connectTimeout(limits.connectTimeout)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: RelayTuning.recvAllocator)
            .channelOption(.writeBufferWaterMark, value: RelayTuning.writeWaterMark)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ByteCounter()) }
            }
            .connect(to: address)
            .flatMapError { error in
                addresses.count > 1 ? self.connect(addresses.dropFirst(), on: loop) : loop.makeFailedFuture(error)
            }
    }

    private func track(_ upstream: Upstream, request: EgressRequest, client: ClientContext) throws {
        let channel = upstream.channel
        let loop = channel.eventLoop
        let counter = NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ByteCounter.self), eventLoop: loop)
        let cutReason = NIOLoopBound(CutReason(), eventLoop: loop)
        let key = connections.add(
            ConnectionRegistry.Tunnel(
                host: request.host, port: request.port, address: upstream.address,
                cut: { reason in
                    loop.execute {
                        cutReason.value.text = reason
                        channel.close(promise: nil)
                    }
                }))
        let capability = "network:\(upstream.capability)"
        let address = upstream.address.ipAddress
        channel.closeFuture.whenComplete { _ in
            self.connections.remove(key)
            self.emit(
                request, caller: client.caller, outcome: .allow, address: address, capability: capability,
                reason: cutReason.value.text, sent: counter.value.sent, received: counter.value.received)
        }
    }

    static func denial(for error: any Error) -> Denial {
        switch error {
        case let denial as Denial:
            return denial
        case ChannelError.connectTimeout:
            return Denial(code: .timeout, reason: "connection timed out", capabilityNeeded: nil)
        case let failure as NIOConnectionError:
            let why = failure.connectionErrors.first.map { "\($0.error)" } ?? "\(failure)"
            return Denial(code: .unreachable, reason: "connection failed: \(why)", capabilityNeeded: nil)
        default:
            return Denial(code: .unreachable, reason: "connection failed: \(error)", capabilityNeeded: nil)
        }
    }
}
