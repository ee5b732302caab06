import NIOCore

/// Counts the bytes exchanged with a destination. First in the destination channel's pipeline,
/// so it sees exactly what crosses the socket whatever protocol runs above it.
final class ByteCounter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private(set) var received: UInt64 = 0
    private(set) var sent: UInt64 = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received &+= UInt64(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        sent &+= UInt64(unwrapOutboundIn(data).readableBytes)
        context.write(data, promise: promise)
    }
}
