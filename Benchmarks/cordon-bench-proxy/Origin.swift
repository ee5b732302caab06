import NIOCore
import NIOPosix

/// The destination for every measurement: a line `BULK n` is answered with n bytes and a close;
/// a line `ECHO` turns the connection into an echo.
final class OriginHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var line = ""
    private var mode = 0  // 0 reading the command, 1 echo, 2 bulk
    private var remaining = 0
    private var chunk: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if mode == 1 {
            context.write(data, promise: nil)
            return
        }
        guard mode == 0 else { return }
        while let byte = buffer.readInteger(as: UInt8.self) {
            if byte == UInt8(ascii: "\n") {
                if line.hasPrefix("BULK "), let n = Int(line.dropFirst(5)) {
                    mode = 2
                    remaining = n
                    chunk = context.channel.allocator.buffer(repeating: 0x61, count: 256 * 1024)
                    pump(context)
                } else {
                    mode = 1
                    if buffer.readableBytes > 0 { context.write(wrapOutboundOut(buffer), promise: nil) }
                }
                return
            }
            line.append(Character(UnicodeScalar(byte)))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if mode == 2 { pump(context) }
    }

    private func pump(_ context: ChannelHandlerContext) {
        guard let chunk else { return }
        while remaining > 0 && context.channel.isWritable {
            let n = min(remaining, chunk.readableBytes)
            remaining -= n
            context.write(wrapOutboundOut(chunk.getSlice(at: chunk.readerIndex, length: n)!), promise: nil)
            if remaining == 0 {
                context.writeAndFlush(NIOAny(ByteBuffer())).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
                return
            }
        }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

func startOrigin(group: any EventLoopGroup) throws -> any Channel {
    try ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 4096)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(OriginHandler()) }
        }
        .bind(host: "127.0.0.1", port: 0).wait()
}
