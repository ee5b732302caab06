import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Serves one SOCKS5 client (RFC 1928): no authentication, `CONNECT` only, names resolved by
/// the proxy (so the capability check sees the name). `BIND` and `UDP ASSOCIATE` are refused
/// with "command not supported".
final class SOCKS5Handler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case greeting
        case request
        case connecting
        case done
    }

    private let client: ClientContext
    private var state = State.greeting
    private var buffer: ByteBuffer?
    /// A greeting and a request together never need more (a name is at most 255 bytes).
    private static let maxHandshakeBytes = 1024

    init(client: ClientContext) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        guard state != .connecting, state != .done else { return }
        if buffer!.readableBytes > Self.maxHandshakeBytes { return fail(context, reply: 0x01, reason: "handshake too large") }
        if state == .greeting { parseGreeting(context) }
        if state == .request { parseRequest(context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client finished sending before its request was answered.
        if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }

    private func parseGreeting(_ context: ChannelHandlerContext) {
        guard var b = buffer, let version = b.readInteger(as: UInt8.self), let count = b.readInteger(as: UInt8.self) else { return }
        guard version == 5 else { return fail(context, reply: nil, reason: "not SOCKS version 5") }
        guard let methods = b.readBytes(length: Int(count)) else { return }
        buffer = b
        guard methods.contains(0x00) else {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [5, 0xff])), promise: nil)
            return fail(context, reply: nil, reason: "client offered no method without authentication")
        }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: [5, 0x00])), promise: nil)
        state = .request
    }

    private func parseRequest(_ context: ChannelHandlerContext) {
        guard var b = buffer, let header = b.readBytes(length: 4) else { return }
        guard header[0] == 5 else { return fail(context, reply: 0x01, reason: "bad request version") }
        let host: String
        switch header[3] {
        case 1:
            guard let a = b.readBytes(length: 4) else { return }
            host = a.map(String.init).joined(separator: ".")
        case 3:
            guard let n = b.readInteger(as: UInt8.self), let name = b.readBytes(length: Int(n)) else { return }
            guard n > 0, name.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return fail(context, reply: 0x01, reason: "bad host name") }
            host = String(decoding: name, as: UTF8.self).lowercased()
        case 4:
            guard let a = b.readBytes(length: 16) else { return }
            host = Self.ipv6Text(a)
        default:
            return fail(context, reply: 0x08, reason: "address type \(header[3]) not supported")
        }
        guard let port = b.readInteger(as: UInt16.self) else { return }
        buffer = b
        guard header[1] == 1 else { return fail(context, reply: 0x07, reason: "only CONNECT is supported (command \(header[1]))") }
        state = .connecting
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        let request = EgressRequest(kind: .socks5, host: host, port: port)
        client.session.open(request, client: client).assumeIsolated().whenComplete { result in
            switch result {
            case .failure(let error):
                let denial = EgressSession.denial(for: error)
                self.fail(context, reply: denial.socksReply, reason: nil)
            case .success(let upstream):
                guard context.channel.isActive else {
                    upstream.channel.close(promise: nil)
                    return
                }
                self.client.handshakeFinished()
                self.becomeTunnel(context, upstream: upstream.channel)
            }
        }
    }

    private func becomeTunnel(_ context: ChannelHandlerContext, upstream: any Channel) {
        state = .done
        var reply = context.channel.allocator.buffer(capacity: 22)
        reply.writeBytes([5, 0, 0])
        switch upstream.localAddress {
        case .v6(let a)?:
            reply.writeInteger(UInt8(4))
            withUnsafeBytes(of: a.address.sin6_addr) { reply.writeBytes($0) }
        case .v4(let a)?:
            reply.writeInteger(UInt8(1))
            withUnsafeBytes(of: a.address.sin_addr) { reply.writeBytes($0) }
        default:
            reply.writeBytes([1, 0, 0, 0, 0])
        }
        reply.writeInteger(UInt16(upstream.localAddress?.port ?? 0))
        let (mine, theirs) = RelayHandler.pair()
        do {
            try upstream.pipeline.syncOperations.addHandler(theirs)
            try context.pipeline.syncOperations.addHandler(mine)
        } catch {
            context.close(promise: nil)
            upstream.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        // Bytes the client sent after its request (an eager TLS hello) go to the destination.
        if let rest = buffer, rest.readableBytes > 0 { context.fireChannelRead(NIOAny(rest)) }
        buffer = nil
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        upstream.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
    }

    /// Sends a failure reply (when `reply` is set) and closes. Refusals the session decided are
    /// already recorded; handshake errors are recorded here.
    private func fail(_ context: ChannelHandlerContext, reply: UInt8?, reason: String?) {
        state = .done
        client.handshakeFinished()
        if let reason {
            let denial = Denial(code: .badRequest, reason: "SOCKS5: \(reason)", capabilityNeeded: nil)
            client.session.refuse(EgressRequest(kind: .socks5, host: "", port: 0), client: client, denial)
        }
        guard let reply else {
            context.close(promise: nil)
            return
        }
        let bytes: [UInt8] = [5, reply, 0, 1, 0, 0, 0, 0, 0, 0]
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private static func ipv6Text(_ bytes: [UInt8]) -> String {
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &address, &text, socklen_t(text.count)) != nil else { return "::" }
        return String(cString: text)
    }
}
