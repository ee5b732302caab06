import EgressProxy
import SandboxPolicy

extension Session {
    /// The port of the egress proxy inside the sandbox. The network namespace is the session's
    /// own, so a fixed port collides with nothing and is easy to name in tools' settings.
    public static let proxyPort: UInt16 = 3128

    /// The `network:` capabilities of a profile.
    static func networkPatterns(of profile: Profile) -> [NetworkEndpointPattern] {
        profile.capabilities.compactMap { capability in
            if case .network(let pattern) = capability { return pattern }
            return nil
        }
    }

    /// Adds the session's way out to a compiled plan when it has `network:` capabilities: the
    /// proxy's listener (first), one listener per named host service, the variables that point
    /// programs at the proxy, and Landlock TCP connect rules for exactly those ports. Without
    /// network capabilities the plan stays as it was: loopback only.
    static func planNetwork(_ session: inout PreparedSession, kernel: KernelFeatures) {
        let patterns = networkPatterns(of: session.profile)
        guard !patterns.isEmpty else { return }
        var plan = session.output.plan
        let services = HostServiceForwarder.services(for: patterns)
        plan.listeners = [LoopbackListener(address: "127.0.0.1", port: proxyPort)]
            + services.map { LoopbackListener(address: $0.address, port: $0.port) }
        let variables = ProxyEnvironment.variables(port: proxyPort)
        let names = Set(variables.map { $0.prefix { $0 != "=" } })
        plan.environment = (plan.environment.filter { !names.contains($0.prefix { $0 != "=" }) } + variables).sorted {
            $0.prefix { $0 != "=" } < $1.prefix { $0 != "=" }
        }
        // TCP rules need Landlock ABI 4; below it the namespace alone holds, as the report says.
        if var landlock = plan.landlock, (kernel.landlockABI ?? 0) >= 4 {
            landlock.minimumABI = max(landlock.minimumABI, 4)
            landlock.handledNetwork.insert(.connectTCP)
            for port in Set([proxyPort] + services.map(\.port)).sorted() {
                landlock.portRules.append(LandlockPortRule(port: port, access: .connectTCP))
            }
            plan.landlock = landlock
        }
        session.output.plan = plan
        session.output.report.entries.append(.init(
            layer: "network.egress", status: .enforced,
            detail: "only through Cordon's proxy at 127.0.0.1:\(proxyPort)"
                + (services.isEmpty ? "" : " and forwarded host services " + services.map { "\($0.address):\($0.port)" }.joined(separator: ", "))))
    }
}
