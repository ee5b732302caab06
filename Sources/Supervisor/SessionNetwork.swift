#if canImport(Glibc)
import Glibc
#endif
import AuditLog
import EgressProxy
import Logging
import NIOCore
import NIOPosix
import SandboxLauncher
import SandboxPolicy

/// The running network side of one session: the egress proxy and the host-service forwarders,
/// served by the supervisor on the listeners the launcher created inside the sandbox. Only
/// sessions with `network:` capabilities have one, so a session without them starts no event
/// loop at all.
final class SessionNetwork {
    let group: MultiThreadedEventLoopGroup
    let egress: EgressSession
    private var proxy: EgressProxyServer?
    private var forwarders: [HostServiceForwarder] = []

    private init(group: MultiThreadedEventLoopGroup, egress: EgressSession) {
        self.group = group
        self.egress = egress
    }

    /// Serves the proxy on the first listener and one forwarder on each following listener, in
    /// the order `planNetwork` planned them. On failure everything started is stopped again.
    static func start(
        _ session: PreparedSession, process: SandboxProcess, audit: SessionAudit, logger: Logger
    ) throws(SessionError) -> SessionNetwork? {
        let patterns = Session.networkPatterns(of: session.profile)
        guard !patterns.isEmpty else { return nil }
        let services = HostServiceForwarder.services(for: patterns)
        let listeners = process.listeners.map(\.rawValue)
        guard listeners.count == services.count + 1 else {
            throw .system(operation: "start the egress proxy", path: "",
                          reason: "the launcher handed over \(listeners.count) listener(s), the plan has \(services.count + 1)",
                          remedy: "report this as a bug")
        }
        let sink = AuditDecisionSink(audit: audit, stop: { try? process.signal(SIGKILL) })
        let egress = EgressSession(
            id: audit.sessionID, rules: EgressRules(allowed: patterns), resolver: SystemResolver(), sink: sink,
            callerLookup: ProcfsCallerLookup(namespacePID: process.pid), logger: logger)
        let network = SessionNetwork(group: MultiThreadedEventLoopGroup(numberOfThreads: 1), egress: egress)
        do {
            network.proxy = try EgressProxyServer.start(session: egress, listeningSockets: [listeners[0]], group: network.group).wait()
            for (service, socket) in zip(services, listeners.dropFirst()) {
                network.forwarders.append(
                    try HostServiceForwarder.start(session: egress, service: service, listeningSocket: socket, group: network.group).wait())
            }
        } catch {
            network.stop()
            throw .system(operation: "start the egress proxy", path: "", reason: "\(error)", remedy: "report this as a bug")
        }
        return network
    }

    /// Stops accepting and ends the event loop; open tunnels end with it.
    func stop() {
        if let proxy { try? proxy.close().wait() }
        for forwarder in forwarders { try? forwarder.close().wait() }
        try? group.syncShutdownGracefully()
    }
}

/// Hands the proxy's decisions to the session's audit log. In required mode a decision that
/// cannot be recorded ends the sandbox: nothing may happen that the log does not hold.
struct AuditDecisionSink: EgressRecordSink {
    let audit: SessionAudit
    let stop: @Sendable () -> Void

    func record(_ record: EgressRecord) {
        let decision = AuditEvent.Decision(
            source: .proxy, decision: record.outcome == .allow ? .allow : .deny, capability: record.capability,
            operation: record.kind.rawValue, host: record.host.isEmpty ? nil : record.host,
            port: record.port == 0 ? nil : Int(record.port), pid: record.callerPID, executable: record.callerExecutable,
            bytes: Int64(clamping: record.bytesSent + record.bytesReceived),
            durationMs: Int64(record.durationSeconds * 1000),
            reason: Self.reason(record))
        if !audit.recordDecision(decision) { stop() }
    }

    /// The proxy's reason, with what the record's other fields have no place for.
    static func reason(_ record: EgressRecord) -> String? {
        let parts = [record.outcome == .error ? "allowed, but the destination could not be reached" : nil,
                     record.reason, record.address.map { "address \($0)" }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
