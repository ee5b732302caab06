import NIOCore
import NIOHTTP1

/// Serves one HTTP proxy client: `CONNECT` tunnels and plain requests with absolute URIs,
/// keep-alive (one request at a time; pipelined requests wait their turn), chunked bodies in
/// both directions, and upgrades (`101 Switching Protocols` turns the connection into a tunnel).
///
/// Framing headers are relayed as they arrived (both encoders run with automatic framing off),
/// so a body is never re-chunked or truncated by the proxy.
final class HTTPProxyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    enum State {
        /// Waiting for a request head.
        case idle
        /// A request head arrived; its destination is being decided or connected.
        case connecting
        /// The current request is being relayed and its response awaited.
        case forwarding
        /// The connection is closing (a denial was sent, or a tunnel took over).
        case closed
    }

    /// The request being relayed.
    struct Exchange {
        var target: HTTPTarget
        var keepAlive: Bool
        var upgrade: Bool
        var isHEAD: Bool
        var requestEnded = false
        var switching = false
    }

    let client: ClientContext
    let encoder: HTTPResponseEncoder
    let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    var context: ChannelHandlerContext?
    var state = State.idle
    var exchange: Exchange?
    var upstream: (channel: any Channel, target: HTTPTarget)?
    var pending = CircularBuffer<HTTPServerRequestPart>()
    /// The client has half-closed: no further request will come.
    var clientFinished = false
    private static let maxPendingParts = 256

    init(client: ClientContext, encoder: HTTPResponseEncoder, decoder: ByteToMessageHandler<HTTPRequestDecoder>) {
        self.client = client
        self.encoder = encoder
        self.decoder = decoder
    }

    var session: EgressSession { client.session }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if !pending.isEmpty || blocked {
            pending.append(part)
            if pending.count > Self.maxPendingParts { context.close(promise: nil) }
            return
        }
        handle(part)
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        upstream?.channel.close(promise: nil)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            clientFinished = true
            if state == .idle && pending.isEmpty { context.close(promise: nil) }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard state == .idle || state == .connecting, exchange == nil || exchange?.requestEnded == false else {
            context.close(promise: nil)
            return
        }
        // The decoder refused the request head (malformed, or over the header bound).
        let denial = Denial(code: .badRequest, reason: "malformed or oversized request: \(error)", capabilityNeeded: nil)
        session.refuse(EgressRequest(kind: .http, host: "", port: 0), client: client, denial)
        refuse(denial)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The response direction: read from the destination only while the client keeps up.
        if case .forwarding = state, let channel = upstream?.channel {
            channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable).whenFailure { _ in }
        }
        context.fireChannelWritabilityChanged()
    }

    /// True while new request parts must wait: a destination is being connected, or the
    /// current request is complete and its response has not ended.
    private var blocked: Bool {
        switch state {
        case .idle: return false
        case .connecting, .closed: return true
        case .forwarding: return exchange?.requestEnded ?? true
        }
    }

    private func handle(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head):
            if head.method == .CONNECT {
                startConnect(head)
            } else {
                startRequest(head)
            }
        case .body(let body):
            upstream?.channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil)
        case .end(let trailers):
            exchange?.requestEnded = true
            upstream?.channel.writeAndFlush(HTTPClientRequestPart.end(trailers), promise: nil)
            setClientReading(false)
        }
    }

    /// Relays queued parts until one of them has to wait again.
    func drainPending() {
        while !pending.isEmpty && !blocked {
            handle(pending.removeFirst())
        }
        upstream?.channel.flush()
        if !blocked { setClientReading(true) }
    }

    func setClientReading(_ on: Bool) {
        context?.channel.setOption(ChannelOptions.autoRead, value: on).whenFailure { _ in }
    }

    /// Answers with an error response naming the reason and the capability that would allow
    /// the request, then closes the connection.
    func refuse(_ denial: Denial) {
        guard let context else { return }
        state = .closed
        client.handshakeFinished()
        let status = denial.httpStatus
        var body = context.channel.allocator.buffer(capacity: 256)
        body.writeString("Cordon refused this request: \(denial.reason)\n")
        if let capability = denial.capabilityNeeded {
            body.writeString("The capability that would allow it: \(capability)\n")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "X-Cordon-Deny", value: denial.headerValue)
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .custom(code: UInt(status.code), reasonPhrase: status.phrase), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { [weak self] _ in
            self?.context?.close(promise: nil)
        }
        upstream?.channel.close(promise: nil)
    }
}
