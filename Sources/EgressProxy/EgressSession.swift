import Logging
import NIOConcurrencyHelpers
import NIOCore
import SandboxPolicy

#if canImport(Glibc)
import Glibc
#endif

/// The network side of one sandbox session: its live capabilities, how names are resolved, where
/// decisions are recorded, its bounds, and its open connections. The proxy server and the
/// host-service forwarders of the session share one.
public final class EgressSession: Sendable {
    /// The session identifier, as shown by `cordon sessions`.
    public let id: String
    /// The session's `network:` capabilities, changeable while it runs.
    public let rules: EgressRules
    let resolver: any EgressResolver
    let sink: any EgressRecordSink
    let limits: EgressLimits
    let hostAddresses: HostAddresses
    let callerLookup: (any CallerLookup)?
    let connections = ConnectionRegistry()
    let logger: Logger
    /// Records waiting for their caller lookup before they reach the sink.
    let recordsInFlight = NIOLockedValueBox(0)

    /// Creates the network side of session `id`.
    ///
    /// - Parameters:
    ///   - hostAddresses: this host's own addresses, refused like private ones; `nil` enumerates
    ///     the interfaces (the normal case).
    ///   - callerLookup: finds the process behind a client connection for the record; `nil`
    ///     records no caller.
    public init(
        id: String, rules: EgressRules, resolver: any EgressResolver, sink: any EgressRecordSink,
        limits: EgressLimits = EgressLimits(), hostAddresses: [SocketAddress]? = nil,
        callerLookup: (any CallerLookup)? = nil, logger: Logger
    ) {
        self.id = id
        self.rules = rules
        self.resolver = resolver
        self.sink = sink
        self.limits = limits
        self.hostAddresses = HostAddresses(fixed: hostAddresses)
        self.callerLookup = callerLookup
        self.logger = logger
    }

    /// Waits until every record of a connection that has ended reached the sink, or `seconds`
    /// passed; false (and an error logged) when some still wait for a slow caller lookup. Call
    /// it once the servers stopped, before the session's log is closed.
    @discardableResult
    public func waitForRecords(seconds: Double) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        // Polled: this runs once per session, at its end, and rarely waits at all.
        while recordsInFlight.withLockedValue({ $0 }) > 0 {
            guard clock.now < deadline else {
                logger.error("proxy decision records still wait for their caller lookup", metadata: ["session": "\(id)"])
                return false
            }
            usleep(5000)
        }
        return true
    }

    /// Grants `pattern` from now on.
    public func allow(_ pattern: NetworkEndpointPattern) {
        rules.allow(pattern)
        logger.info("network capability granted", metadata: ["session": "\(id)", "capability": "network:\(pattern)"])
    }

    /// Withdraws `pattern` and cuts, at once, every open tunnel the rules no longer allow.
    /// Returns how many tunnels were cut.
    @discardableResult
    public func deny(_ pattern: NetworkEndpointPattern) -> Int {
        rules.deny(pattern)
        let cut = revalidate(reason: "capability network:\(pattern) withdrawn")
        logger.info(
            "network capability withdrawn",
            metadata: ["session": "\(id)", "capability": "network:\(pattern)", "tunnels-cut": "\(cut)"])
        return cut
    }

    /// Client connections open now (handshakes and tunnels).
    public var openConnections: Int { connections.clientCount }

    private func revalidate(reason: String) -> Int {
        var cut = 0
        for tunnel in connections.tunnels where !stillAllowed(tunnel) {
            tunnel.cut(reason)
            cut += 1
        }
        return cut
    }

    private func stillAllowed(_ tunnel: ConnectionRegistry.Tunnel) -> Bool {
        guard let capability = rules.match(host: tunnel.host, port: tunnel.port) else { return false }
        guard let bytes = tunnel.address.ipBytes else { return false }
        return addressAllowed(bytes, port: tunnel.port, by: capability, host: tunnel.host) == nil
    }
}
