import NIOCore
import NIOHTTP1

/// Tells SOCKS5 from HTTP by the first byte (SOCKS5 greetings start with 5; an HTTP request
/// line starts with a letter), so one port serves both, and installs the matching handlers.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let client: ClientContext

    init(client: ClientContext) {
        self.client = client
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        let ops = context.pipeline.syncOperations
        do {
            if first == 5 {
                try ops.addHandler(SOCKS5Handler(client: client), position: .after(self))
            } else {
                var limits = NIOHTTPDecoderLimitConfiguration()
                limits.maxHeaderListSize = client.session.limits.maxHeaderBytes
                limits.maxHeaderFieldSize = client.session.limits.maxHeaderBytes
                var configuration = HTTPResponseEncoder.Configuration()
                configuration.automaticallySetFramingHeaders = false
                let encoder = HTTPResponseEncoder(configuration: configuration)
                let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes, limitConfiguration: limits))
                try ops.addHandlers([encoder, decoder, HTTPProxyHandler(client: client, encoder: encoder, decoder: decoder)], position: .after(self))
            }
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
        ops.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client finished sending before saying anything.
        if case ChannelEvent.inputClosed = event { context.close(promise: nil) }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Closes a connection that carried nothing in either direction for the idle bound.
final class IdleCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
