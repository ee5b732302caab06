import SandboxPolicy

extension Session {
    /// Resolves and compiles `request` like `prepare(_:kernel:environment:terminal:cloneSandbox:)`,
    /// cloning the sandbox meanwhile, with the audit directory and signing key hidden from it; a
    /// refusal is recorded.
    public static func prepare(
        _ request: SessionRequest, kernel: KernelFeatures, environment: [String: String], terminal: TerminalMode,
        audit: SessionAudit
    ) throws(SessionError) -> PreparedSession {
        var request = request
        request.cordonPaths += audit.protectedPaths
        do {
            return try prepare(request, kernel: kernel, environment: environment, terminal: terminal, cloneSandbox: true)
        } catch {
            audit.recordFailure(error)
            throw error
        }
    }

    /// Runs the prepared session like `run(_:)`, recorded: the start before the program starts
    /// (in required mode the program does not start when that record cannot be written), how
    /// it ended after, and a launch failure when it never ran. The start record is written and
    /// the network side readied (proxy session, control-socket entry) while the sandbox is being
    /// built; the proxy takes over the sandbox's listeners while its program is held; the end is
    /// recorded while the kernel tears the sandbox down.
    public static func run(_ session: PreparedSession, audit: SessionAudit) throws(SessionError) -> ProgramExit {
        var startUnrecorded: SessionError?
        var unready: SessionError?
        var stopUnrecorded: SessionError?
        var network: SessionNetwork?
        let clock = ContinuousClock()
        var started = clock.now
        let exit: ProgramExit
        do throws(SessionError) {
            exit = try run(session) { sandboxPID in
                do throws(SessionError) {
                    try audit.recordStart(session)
                } catch {
                    startUnrecorded = error
                    return
                }
                do throws(SessionError) {
                    network = try SessionNetwork.prepare(session, sandboxPID: sandboxPID, audit: audit, logger: audit.logger)
                } catch {
                    unready = error
                }
            } serve: { process throws(SessionError) in
                if let error = startUnrecorded ?? unready { throw error }
                guard let network else { return nil }
                try network.attach(process, session: session, audit: audit, logger: audit.logger)
                started = clock.now
                return network
            } ended: { exit in
                do throws(SessionError) {
                    try audit.recordStop(exit, duration: clock.now - started)
                } catch {
                    stopUnrecorded = error
                }
            }
        } catch {
            network?.stop()
            // When the start could not be recorded, the failure cannot be either.
            if startUnrecorded == nil { audit.recordFailure(error) }
            throw error
        }
        if let stopUnrecorded { throw stopUnrecorded }
        return exit
    }
}
