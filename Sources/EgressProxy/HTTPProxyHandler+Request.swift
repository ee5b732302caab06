import NIOCore
import NIOHTTP1

extension HTTPProxyHandler {
    /// `CONNECT host:port`: decide, connect, answer 200 and become a byte tunnel.
    func startConnect(_ head: HTTPRequestHead) {
        guard let target = HTTPTarget(connectAuthority: head.uri) else {
            let denial = Denial(code: .badRequest, reason: "CONNECT needs HOST:PORT, got '\(head.uri)'", capabilityNeeded: nil)
            session.refuse(EgressRequest(kind: .httpConnect, host: "", port: 0), client: client, denial)
            return refuse(denial)
        }
        state = .connecting
        setClientReading(false)
        let request = EgressRequest(kind: .httpConnect, host: target.host, port: target.port)
        session.open(request, client: client).assumeIsolated().whenComplete { result in
            switch result {
            case .failure(let error):
                self.refuse(EgressSession.denial(for: error))
            case .success(let upstream):
                guard self.state == .connecting, let context = self.context, context.channel.isActive else {
                    upstream.channel.close(promise: nil)
                    return
                }
                self.client.handshakeFinished()
                var reply = context.channel.allocator.buffer(capacity: 64)
                reply.writeString("HTTP/1.1 200 Connection established\r\n\r\n")
                self.becomeTunnel(upstream: upstream.channel, reply: reply, upstreamHTTP: false)
            }
        }
    }

    /// A request with an absolute URI: check the Host header, decide, connect (or reuse the
    /// connection to the same destination) and relay.
    func startRequest(_ head: HTTPRequestHead) {
        let kind = EgressRecord.Kind.http
        guard let target = HTTPTarget(absoluteURI: head.uri) else {
            let denial = Denial(
                code: .badRequest, reason: "a proxy request needs an absolute http:// URI, got '\(head.uri)'", capabilityNeeded: nil)
            session.refuse(EgressRequest(kind: kind, host: "", port: 0), client: client, denial)
            return refuse(denial)
        }
        let hostHeaders = head.headers["host"]
        if hostHeaders.count > 1 || (hostHeaders.count == 1 && !target.matches(hostHeader: hostHeaders[0])) {
            let denial = Denial(
                code: .hostMismatch,
                reason: "the Host header (\(hostHeaders.joined(separator: ", "))) does not name the request target \(target.display)",
                capabilityNeeded: nil)
            session.refuse(EgressRequest(kind: kind, host: target.host, port: target.port), client: client, denial)
            return refuse(denial)
        }
        let upgrade = head.headers.contains(name: "upgrade")
        var outgoing = head
        outgoing.uri = target.path
        outgoing.headers.removeHopByHop(keepUpgrade: upgrade)
        if hostHeaders.isEmpty {
            outgoing.headers.add(name: "Host", value: target.port == 80 ? target.host : target.display)
        }
        exchange = Exchange(target: target, keepAlive: head.isKeepAlive, upgrade: upgrade, isHEAD: head.method == .HEAD)

        if let current = upstream, current.target == target, current.channel.isActive,
            session.rules.match(host: target.host, port: target.port) != nil
        {
            state = .forwarding
            current.channel.write(HTTPClientRequestPart.head(outgoing), promise: nil)
            return
        }
        upstream?.channel.close(promise: nil)
        upstream = nil
        state = .connecting
        setClientReading(false)
        let request = EgressRequest(kind: kind, host: target.host, port: target.port)
        session.open(request, client: client).assumeIsolated().whenComplete { result in
            switch result {
            case .failure(let error):
                self.refuse(EgressSession.denial(for: error))
            case .success(let up):
                guard self.state == .connecting, self.context?.channel.isActive == true else {
                    up.channel.close(promise: nil)
                    return
                }
                do {
                    try self.attachHTTP(up.channel)
                } catch {
                    up.channel.close(promise: nil)
                    return self.refuse(EgressSession.denial(for: error))
                }
                self.client.handshakeFinished()
                self.upstream = (up.channel, target)
                self.state = .forwarding
                up.channel.write(HTTPClientRequestPart.head(outgoing), promise: nil)
                self.drainPending()
            }
        }
    }

    /// Puts an HTTP client codec on a fresh destination channel and starts reading it.
    private func attachHTTP(_ channel: any Channel) throws {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = session.limits.maxHeaderBytes
        limits.maxHeaderFieldSize = session.limits.maxHeaderBytes
        var encoderConfiguration = HTTPRequestEncoder.Configuration()
        encoderConfiguration.automaticallySetFramingHeaders = false
        let ops = channel.pipeline.syncOperations
        try ops.addHandler(HTTPRequestEncoder(configuration: encoderConfiguration))
        try ops.addHandler(
            ByteToMessageHandler(
                HTTPResponseDecoder(
                    leftOverBytesStrategy: .forwardBytes, informationalResponseStrategy: .forward, limitConfiguration: limits)))
        try ops.addHandler(UpstreamResponseHandler(proxy: self))
        channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
    }
}
