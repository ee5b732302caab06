import NIOCore

/// Socket buffer sizes for relayed connections: reads up to 1 MiB at a time and up to 1 MiB
/// queued towards a slow side before reading from the other side pauses. Fewer, larger system
/// calls are what keeps a relay close to a direct connection's throughput.
enum RelayTuning {
    static let recvAllocator = AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 65536, maximum: 1 << 20)
    static let writeWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 * 1024, high: 1 << 20)
}

/// Bounds that keep a slow or hostile client from exhausting the supervisor. A bound that trips
/// is a deny with a reason, recorded like any other.
public struct EgressLimits: Sendable, Equatable {
    /// Client connections open at once for one session (the proxy and its forwarders together).
    public var maxConnections: Int
    /// Bytes of one request head (request line and headers), and of one response head.
    public var maxHeaderBytes: Int
    /// Time from accepting a client to the first byte relayed to a destination.
    public var handshakeTimeout: TimeAmount
    /// Time a connection may carry no data in either direction before it is closed.
    public var idleTimeout: TimeAmount
    /// Time to establish the TCP connection to a destination address.
    public var connectTimeout: TimeAmount

    /// Creates limits; the defaults suit an interactive agent.
    public init(
        maxConnections: Int = 1024, maxHeaderBytes: Int = 32 * 1024, handshakeTimeout: TimeAmount = .seconds(15),
        idleTimeout: TimeAmount = .seconds(600), connectTimeout: TimeAmount = .seconds(10)
    ) {
        self.maxConnections = maxConnections
        self.maxHeaderBytes = maxHeaderBytes
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
    }
}
