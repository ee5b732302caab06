import NIOCore
import NIOHTTP1

/// Hands a destination's response parts to the `HTTPProxyHandler` of its client.
final class UpstreamResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private weak var proxy: HTTPProxyHandler?

    init(proxy: HTTPProxyHandler) {
        self.proxy = proxy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        proxy?.relayResponse(unwrapInboundIn(data), from: context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        proxy?.upstreamClosed(context.channel)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        proxy?.upstreamWritabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension HTTPProxyHandler {
    func relayResponse(_ part: HTTPClientResponsePart, from channel: any Channel) {
        guard let context, state == .forwarding, var exchange, upstream?.channel === channel else {
            channel.close(promise: nil)
            return
        }
        switch part {
        case .head(var head):
            let informational = head.status.code >= 100 && head.status.code < 200 && head.status.code != 101
            let switching = exchange.upgrade && head.status == .switchingProtocols
            if !informational {
                let framed = head.headers.contains(name: "content-length")
                    || head.headers["transfer-encoding"].last?.lowercased() == "chunked"
                    || exchange.isHEAD || head.status.code == 204 || head.status.code == 304
                exchange.keepAlive = exchange.keepAlive && head.isKeepAlive && framed && !exchange.upgrade
                exchange.switching = switching
                self.exchange = exchange
            }
            head.headers.removeHopByHop(keepUpgrade: switching)
            if exchange.isHEAD { head.headers.remove(name: "transfer-encoding") }
            if !informational && !switching && !exchange.keepAlive { head.headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if informational { context.flush() }
        case .body(let body):
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        case .end(let trailers):
            if exchange.switching {
                context.flush()
                becomeTunnel(upstream: channel, reply: nil, upstreamHTTP: true)
                return
            }
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
            finishExchange(exchange)
        }
    }

    func upstreamClosed(_ channel: any Channel) {
        guard upstream?.channel === channel else { return }
        upstream = nil
        if state == .forwarding {
            // The destination went away mid-exchange: the client cannot be given a whole response.
            state = .closed
            context?.close(promise: nil)
        }
    }

    func upstreamWritabilityChanged(writable: Bool) {
        if state == .forwarding, exchange?.requestEnded == false { setClientReading(writable) }
    }

    private func finishExchange(_ exchange: Exchange) {
        guard exchange.keepAlive && exchange.requestEnded && !(clientFinished && pending.isEmpty) else {
            state = .closed
            context?.close(promise: nil)
            return
        }
        self.exchange = nil
        state = .idle
        drainPending()
    }

    /// Replaces the HTTP handlers of the client (and, after an upgrade, of the destination)
    /// with a byte relay. The order matters: both relays are in place and every encoder is gone
    /// before a decoder is removed, because removing a decoder hands its unparsed bytes on.
    func becomeTunnel(upstream channel: any Channel, reply: ByteBuffer?, upstreamHTTP: Bool) {
        guard let context else { return }
        state = .closed
        upstream = nil
        let clientOps = context.pipeline.syncOperations
        let upstreamOps = channel.pipeline.syncOperations
        let (mine, theirs) = RelayHandler.pair()
        do {
            try clientOps.addHandler(mine)
            try upstreamOps.addHandler(theirs)
            clientOps.removeHandler(encoder, promise: nil)
            if let reply { context.channel.writeAndFlush(reply, promise: nil) }
            if upstreamHTTP {
                upstreamOps.removeHandler(context: try upstreamOps.context(handlerType: UpstreamResponseHandler.self), promise: nil)
                upstreamOps.removeHandler(context: try upstreamOps.context(handlerType: HTTPRequestEncoder.self), promise: nil)
                upstreamOps.removeHandler(
                    context: try upstreamOps.context(handlerType: ByteToMessageHandler<HTTPResponseDecoder>.self), promise: nil)
            }
            let decoder = self.decoder
            clientOps.removeHandler(context: context, promise: nil)
            clientOps.removeHandler(decoder, promise: nil)
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        } catch {
            context.close(promise: nil)
            channel.close(promise: nil)
        }
    }
}
