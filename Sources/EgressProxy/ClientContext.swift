import Foundation
import NIOCore
import NIOPosix

/// What one accepted client connection carries through its handlers: the session, who the
/// caller is (looked up off the event loop), and the handshake deadline.
final class ClientContext: Sendable {
    let session: EgressSession
    let channel: any Channel
    let caller: PendingCaller
    private let deadline: Scheduled<Void>

    var eventLoop: any EventLoop { channel.eventLoop }

    /// Starts the caller lookup and the handshake clock for `channel`.
    init(session: EgressSession, channel: any Channel, kind: EgressRecord.Kind) {
        self.session = session
        self.channel = channel
        let loop = channel.eventLoop
        if let lookup = session.callerLookup,
            let client = channel.remoteAddress.flatMap(SocketEndpoint.init),
            let server = channel.localAddress.flatMap(SocketEndpoint.init)
        {
            caller = PendingCaller(lookup: lookup, client: client, server: server)
        } else {
            caller = PendingCaller(nil)
        }
        let started = Date()
        let start = NIODeadline.now()
        let limit = session.limits.handshakeTimeout
        deadline = loop.scheduleTask(in: limit) { [caller] in
            let request = EgressRequest(kind: kind, host: "", port: 0, time: started, started: start)
            session.emit(
                request, caller: caller, outcome: .deny, address: nil, capability: nil,
                reason: "handshake not completed within \(limit.nanoseconds / 1_000_000_000) s", sent: 0, received: 0)
            channel.close(promise: nil)
        }
        channel.closeFuture.whenComplete { [deadline] _ in deadline.cancel() }
    }

    /// The client asked for something and got an answer: the handshake clock stops.
    func handshakeFinished() {
        deadline.cancel()
    }
}

/// One request for a destination.
struct EgressRequest: Sendable {
    var kind: EgressRecord.Kind
    var host: String
    var port: UInt16
    var time: Date
    var started: NIODeadline

    init(kind: EgressRecord.Kind, host: String, port: UInt16, time: Date = Date(), started: NIODeadline = .now()) {
        self.kind = kind
        self.host = host
        self.port = port
        self.time = time
        self.started = started
    }
}

extension SocketEndpoint {
    init?(_ address: SocketAddress) {
        guard let bytes = address.ipBytes, let port = address.port else { return nil }
        self.init(address: bytes, port: UInt16(port))
    }
}
