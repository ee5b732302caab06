import NIOCore

/// Moves bytes between a client channel and a destination channel once the handshake is done.
///
/// Each side reads only while the other can take writes (backpressure through `read`), half
/// closes are passed on, and the pair closes when both directions are finished or either side
/// fails. Both channels live on the same event loop.
final class RelayHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var readHeld = false
    private var inputClosed = false

    private init() {}

    /// Two handlers joined to each other: add one to each channel.
    static func pair() -> (RelayHandler, RelayHandler) {
        let a = RelayHandler()
        let b = RelayHandler()
        a.partner = b
        b.partner = a
        return (a, b)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.forward(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.context?.close(promise: nil)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        guard let partner, let peer = partner.context else { return }
        if partner.inputClosed {
            context.close(promise: nil)
            peer.close(promise: nil)
        } else {
            peer.flush()
            peer.close(mode: .output, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.releaseRead() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if let peer = partner?.context, !peer.channel.isWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    private func forward(_ data: NIOAny) {
        context?.write(data, promise: nil)
    }

    private func releaseRead() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }
}
