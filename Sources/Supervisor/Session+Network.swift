import EgressProxy
import SandboxPolicy

extension Session {
    /// The port of the egress proxy inside the sandbox. The network namespace is the session's
    /// own, so a fixed port collides with nothing and is easy to name in tools' settings.
    public static let proxyPort: UInt16 = 3128

    /// Ports servers commonly listen on in development (Rails, Angular, Flask, Vite, Django,
    /// Jupyter, ...): the program may connect to its own servers on these inside the sandbox.
    public static let developmentPorts: [UInt16] = [3000, 3001, 4000, 4200, 5000, 5173, 8000, 8080, 8081, 8888, 9000]

    /// The ephemeral port range of the sandbox's own network namespace. It lies above the
    /// kernel's default range (32768-60999), so no ephemeral port of a host server is in it.
    /// Every port in it is one Landlock rule, and adding rules costs about half a microsecond
    /// each at launch (more under load: 1,036 rules measured 0.5-5 ms), so the block is small;
    /// it also bounds the program's concurrent connections to one destination (the proxy) to 256.
    public static let localPortRange = LocalPortRange(first: 61000, last: 61255)

    /// The `network:` capabilities of a profile.
    static func networkPatterns(of profile: Profile) -> [NetworkEndpointPattern] {
        profile.capabilities.compactMap { capability in
            if case .network(let pattern) = capability { return pattern }
            return nil
        }
    }

    /// True when the plan gives the sandbox a network namespace of its own.
    static func hasOwnNetwork(_ plan: LaunchPlan) -> Bool {
        plan.layers.contains(.view) && plan.namespaces.contains(.network)
    }

    /// Adds the session's way out to a compiled plan: the proxy's listener (first), one
    /// listener per named host service, the variables that point programs at the proxy, and
    /// Landlock TCP connect rules.
    ///
    /// Every session with a network namespace of its own gets the proxy, granting nothing until
    /// a capability or `cordon net allow` does, so that any running session can be widened
    /// (listeners cannot be added once the program runs: only the launcher's child can create
    /// them in that namespace).
    ///
    /// Landlock is the second layer: it allows TCP connect only to the proxy, the forwarded
    /// ports, and the program's own servers. Those are recognised by port, since Landlock knows
    /// no addresses: the common development ports, `localPorts`, and the namespace's ephemeral
    /// range, narrowed to `localPortRange` so that a server bound to port 0 lands in it. Inside
    /// the private namespace these ports reach only the sandbox's own servers; where the
    /// namespace is off and Landlock is the only layer they are the host's, and every other
    /// port stays closed.
    static func planNetwork(_ session: inout PreparedSession, kernel: KernelFeatures, localPorts: [UInt16] = []) throws(CapabilityError) {
        let patterns = networkPatterns(of: session.profile)
        var plan = session.output.plan
        let ownNetwork = hasOwnNetwork(plan)
        let services = HostServiceForwarder.services(for: patterns)
        // Without a namespace of its own a listener would be the host's, shared by every such
        // session: only a session with capabilities gets one there.
        let proxied = ownNetwork || !patterns.isEmpty
        var connectPorts = Set(developmentPorts + localPorts)
        if proxied {
            plan.listeners = [LoopbackListener(address: "127.0.0.1", port: proxyPort)]
                + services.map { LoopbackListener(address: $0.address, port: $0.port) }
            connectPorts.formUnion([proxyPort] + services.map(\.port))
            let variables = ProxyEnvironment.variables(port: proxyPort)
            let names = Set(variables.map { $0.prefix { $0 != "=" } })
            plan.environment = (plan.environment.filter { !names.contains($0.prefix { $0 != "=" }) } + variables).sorted {
                $0.prefix { $0 != "=" } < $1.prefix { $0 != "=" }
            }
        }
        if ownNetwork {
            plan.localPortRange = localPortRange
            connectPorts.formUnion(localPortRange.first...localPortRange.last)
        }
        // TCP rules need Landlock ABI 4; below it the namespace alone holds, as the report says.
        if var landlock = plan.landlock {
            if (kernel.landlockABI ?? 0) >= 4 {
                landlock.minimumABI = max(landlock.minimumABI, 4)
                landlock.handledNetwork.insert(.connectTCP)
                landlock.portRules += connectPorts.sorted().map { LandlockPortRule(port: $0, access: .connectTCP) }
                plan.landlock = landlock
            }
            session.output.report.entries.append(.init(
                layer: "network.landlock", status: (kernel.landlockABI ?? 0) >= 4 ? .enforced : .off,
                detail: (kernel.landlockABI ?? 0) >= 4
                    ? "TCP connect only to \(connectPorts.count) ports: "
                        + [proxied ? "the proxy and forwarded services" : nil, "development ports",
                           localPorts.isEmpty ? nil : "--allow-local-port",
                           ownNetwork ? "the sandbox's ephemeral range \(localPortRange.first)-\(localPortRange.last)" : nil]
                        .compactMap { $0 }.joinedText(separator: ", ")
                    : "TCP rules need Landlock ABI 4; the kernel has \(kernel.landlockABI.map(String.init) ?? "none")"))
        }
        // Cordon's allow-list admits every AF_INET and AF_INET6 socket; this narrows them to TCP.
        if !plan.seccomp.isEmpty { plan.seccomp.append(try tcpOnlyFilter.compile()) }
        session.output.plan = plan
        guard proxied else { return }
        session.output.report.entries.append(.init(
            layer: "network.egress", status: .enforced,
            detail: "only through Cordon's proxy at 127.0.0.1:\(proxyPort)"
                + (patterns.isEmpty ? " (nothing granted until `cordon net allow`)" : "")
                + (services.isEmpty ? "" : " and forwarded host services " + services.map { "\($0.address):\($0.port)" }.joinedText(separator: ", "))))
    }

    /// Internet sockets only for TCP (type `SOCK_STREAM`, protocol 0 or `IPPROTO_TCP`): no UDP
    /// (DNS included), raw, SCTP or MPTCP socket, whose traffic Landlock's TCP rules would not
    /// cover. Unix and netlink sockets are left to the allow-list.
    static var tcpOnlyFilter: SeccompFilter {
        var rules: [SeccompRule] = []
        for family: UInt64 in [2, 10] {  // AF_INET, AF_INET6
            for proto: UInt64 in [0, 6] {  // default, IPPROTO_TCP
                rules.append(SeccompRule("socket", .allow, when: [
                    ArgumentCondition(index: 0, .equal, family, lowWordOnly: true),
                    // SOCK_STREAM, whatever SOCK_NONBLOCK and SOCK_CLOEXEC say
                    ArgumentCondition(index: 1, .maskedEqual, 1, mask: 0xf, lowWordOnly: true),
                    ArgumentCondition(index: 2, .equal, proto, lowWordOnly: true),
                ]))
            }
            rules.append(SeccompRule("socket", .errno(Errno.EPERM), when: [ArgumentCondition(index: 0, .equal, family, lowWordOnly: true)]))
        }
        return SeccompFilter(name: "cordon network (TCP only)", defaultAction: .allow, unknownNumberAction: .allow, rules: rules)
    }
}
