#if canImport(Glibc)
import Glibc
#endif
import AuditLog
import EgressProxy
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SandboxLauncher
import SandboxPolicy

/// The running network side of one session: the egress proxy and the host-service forwarders,
/// served by the supervisor on the listeners the launcher created inside the sandbox, and the
/// session's entry on the per-user control socket (`cordon sessions`, `cordon net`).
///
/// It is readied in two steps, so that most of it overlaps the building of the sandbox:
/// `prepare` while the sandbox builds its view, `attach` once it handed over its listeners.
final class SessionNetwork: Sendable {
    private struct Servers {
        var group: MultiThreadedEventLoopGroup?
        var proxy: EgressProxyServer?
        var forwarders: [HostServiceForwarder] = []
        /// The sandbox's listeners, from `attach` on.
        var listeners: [CInt] = []
        /// True once the listeners belong to the servers, or were closed by `stop`.
        var listenersHandedOver = false
    }

    let egress: EgressSession?
    /// The sandbox, from `attach` on: what a failure to serve it or to record a decision kills.
    private let sandbox: NIOLockedValueBox<SandboxProcess?>
    private let servers = NIOLockedValueBox(Servers())
    private let watch = NIOLockedValueBox<FirstConnectionWatch?>(nil)
    private let control = NIOLockedValueBox<ControlServer?>(nil)
    private let stopped = NIOLockedValueBox(false)

    private init(egress: EgressSession?, sandbox: NIOLockedValueBox<SandboxProcess?>) {
        self.egress = egress
        self.sandbox = sandbox
    }

    /// Readies the network side of `session` while its sandbox is being built: the proxy's
    /// session (its rules, resolver and audit sink, and the caller lookup in the network
    /// namespace of the sandbox whose first process is `sandboxPID`), then the session's entry
    /// on the control socket (serving it, or attaching to the supervisor that does). A session
    /// whose plan has no listeners is registered without a network side. On failure everything
    /// started is stopped again: a session that cannot be reached for a live deny does not run.
    static func prepare(
        _ session: PreparedSession, sandboxPID: Int32, audit: SessionAudit, logger: Logger
    ) throws(SessionError) -> SessionNetwork {
        let sandbox = NIOLockedValueBox<SandboxProcess?>(nil)
        var egress: EgressSession?
        if !session.output.plan.listeners.isEmpty {
            let patterns = Session.networkPatterns(of: session.profile)
            let sink = AuditDecisionSink(audit: audit, stop: { Self.kill(sandbox) })
            egress = EgressSession(
                id: audit.sessionID, rules: EgressRules(allowed: patterns), resolver: try resolver(session.profile.hostEnvironment), sink: sink,
                callerLookup: ProcfsCallerLookup(namespacePID: sandboxPID), logger: logger)
        }
        let network = SessionNetwork(egress: egress, sandbox: sandbox)
        do {
            try network.register(session, id: audit.sessionID, logger: logger)
        } catch {
            network.stop()
            throw .system(operation: "register the session with the control socket", path: "", reason: error.description,
                          remedy: "make $XDG_RUNTIME_DIR/cordon (or /tmp/cordon-UID) a directory of your own with mode 0700")
        }
        return network
    }

    /// Takes over the listeners `process` handed over, in the order `planNetwork` planned them:
    /// the proxy's first, then one per forwarded host service. The event loop that serves them
    /// starts with the sandbox's first connection (`FirstConnectionWatch`), so a session that
    /// never connects pays nothing for it. The listeners are this network's from here on: on
    /// failure the caller stops it, which closes them.
    func attach(_ process: SandboxProcess, session: PreparedSession, audit: SessionAudit, logger: Logger) throws(SessionError) {
        let listeners = process.listeners.map(\.rawValue)
        sandbox.withLockedValue { $0 = process }
        servers.withLockedValue { $0.listeners = listeners }
        let planned = session.output.plan.listeners.count
        guard listeners.count == planned else {
            throw .system(operation: "start the egress proxy", path: "",
                          reason: "the launcher handed over \(listeners.count) listener(s), the plan has \(planned)",
                          remedy: "report this as a bug")
        }
        guard let egress, !listeners.isEmpty else { return }
        let services = HostServiceForwarder.services(for: Session.networkPatterns(of: session.profile))
        let sandbox = self.sandbox
        guard let watch = FirstConnectionWatch.start(listeners, ready: {
            self.serve(egress, services: services, audit: audit, logger: logger, kill: { Self.kill(sandbox) })
        }) else {
            throw .system(operation: "watch the egress proxy's listener", path: "", reason: "the kernel gave no socket pair or thread",
                          remedy: "check the open-file and process limits (ulimit -n, ulimit -u)")
        }
        self.watch.withLockedValue { $0 = watch }
    }

    private static func kill(_ sandbox: NIOLockedValueBox<SandboxProcess?>) {
        try? sandbox.withLockedValue { $0 }?.signal(SIGKILL)
    }

    /// Starts the event loop, the proxy and the forwarders on the listeners. When that fails the
    /// failure is recorded and the sandbox killed, as a launch whose proxy cannot start is
    /// refused: nothing runs with a network side that does not answer.
    private func serve(
        _ egress: EgressSession, services: [HostServiceForwarder.Service], audit: SessionAudit, logger: Logger,
        kill: () -> Void
    ) {
        servers.withLockedValue { servers in
            guard !servers.listenersHandedOver else { return }
            servers.listenersHandedOver = true
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            servers.group = group
            do {
                servers.proxy = try EgressProxyServer.start(session: egress, listeningSockets: [servers.listeners[0]], group: group).wait()
                for (service, socket) in zip(services, servers.listeners.dropFirst()) {
                    servers.forwarders.append(
                        try HostServiceForwarder.start(session: egress, service: service, listeningSocket: socket, group: group).wait())
                }
            } catch {
                logger.error("the egress proxy did not start: \(error)")
                audit.recordFailure(.system(operation: "start the egress proxy", path: "", reason: "\(error)", remedy: "report this as a bug"))
                Self.close(&servers)
                kill()
            }
        }
    }

    /// The variable naming a hosts(5) file whose names the proxy answers itself, before the
    /// system resolver: names only the supervisor should resolve. The sandbox does not see it.
    static let hostsFileVariable = "CORDON_EGRESS_HOSTS"

    private static func resolver(_ environment: [String: String]) throws(SessionError) -> any EgressResolver {
        guard let path = environment[hostsFileVariable], !path.isEmpty else { return SystemResolver() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .system(operation: "read the proxy's hosts file", path: path, reason: "cannot be read as UTF-8 text",
                          remedy: "point \(hostsFileVariable) at a readable hosts(5) file, or unset it")
        }
        return PinnedNameResolver(PinnedNameResolver.parseHosts(text), fallback: SystemResolver())
    }

    private func register(_ session: PreparedSession, id: String, logger: Logger) throws(ControlSocketError) {
        let path = try ControlSocketPath.resolve(environment: session.profile.hostEnvironment, create: true)
        let sessions = ControlSessions()
        sessions.register(.init(id: id, command: session.profile.argv, egress: egress))
        let server = try ControlServer.start(path: path, sessions: sessions, logger: logger)
        control.withLockedValue { $0 = server }
    }

    /// Leaves the control socket, stops accepting and ends the event loop; open tunnels end with
    /// it. Listeners no server took over are closed. Returns once the records of every ended
    /// connection were handed to the audit log (bounded), so that they precede the session's end.
    /// Only the first call does anything.
    func stop() {
        guard !stopped.withLockedValue({ stopped in defer { stopped = true }; return stopped }) else { return }
        control.withLockedValue { $0 }?.stop()
        watch.withLockedValue { $0 }?.cancel()
        servers.withLockedValue { servers in
            if !servers.listenersHandedOver {
                servers.listenersHandedOver = true
                for socket in servers.listeners { Glibc.close(socket) }
            }
            Self.close(&servers)
        }
        egress?.waitForRecords(seconds: 10)
    }

    private static func close(_ servers: inout Servers) {
        if let proxy = servers.proxy { try? proxy.close().wait() }
        for forwarder in servers.forwarders { try? forwarder.close().wait() }
        try? servers.group?.syncShutdownGracefully()
        servers = Servers(listenersHandedOver: true)
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
