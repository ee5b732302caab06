import NIOConcurrencyHelpers
import SandboxPolicy

/// The `network:` capabilities of one session, changeable while it runs.
///
/// A request is allowed when an allowed pattern matches it and no denied pattern does. `deny`
/// removes equal allowed patterns and also records the pattern as denied, so that denying
/// `api.example.com:443` takes effect even while `*.example.com:443` stays granted.
public final class EgressRules: Sendable {
    private struct State {
        var allowed: [NetworkEndpointPattern]
        var denied: [NetworkEndpointPattern]
    }

    private let state: NIOLockedValueBox<State>

    /// Creates rules granting `allowed`.
    public init(allowed: [NetworkEndpointPattern]) {
        state = NIOLockedValueBox(State(allowed: Self.unique(allowed), denied: []))
    }

    /// The granted patterns, in the order they were granted.
    public var allowed: [NetworkEndpointPattern] { state.withLockedValue { $0.allowed } }
    /// The patterns denied while the session ran.
    public var denied: [NetworkEndpointPattern] { state.withLockedValue { $0.denied } }

    /// Grants `pattern` (and lifts an equal earlier deny).
    public func allow(_ pattern: NetworkEndpointPattern) {
        state.withLockedValue { s in
            s.denied.removeAll { $0 == pattern }
            if !s.allowed.contains(pattern) { s.allowed.append(pattern) }
        }
    }

    /// Withdraws `pattern`: equal grants are removed and requests it matches are refused from now on.
    public func deny(_ pattern: NetworkEndpointPattern) {
        state.withLockedValue { s in
            s.allowed.removeAll { $0 == pattern }
            if !s.denied.contains(pattern) { s.denied.append(pattern) }
        }
    }

    /// The granted pattern covering `host:port` (the name as the client wrote it), if any.
    public func match(host: String, port: UInt16) -> NetworkEndpointPattern? {
        state.withLockedValue { s in
            if s.denied.contains(where: { $0.matches(host: host, port: port) }) { return nil }
            return s.allowed.first { $0.matches(host: host, port: port) }
        }
    }

    /// The granted pattern that names the address `bytes` literally for `port`, if any: the only
    /// way a name may lead to a loopback, private, link-local or host address.
    func namingAddress(_ bytes: [UInt8], port: UInt16) -> NetworkEndpointPattern? {
        state.withLockedValue { s in
            let covers = { (p: NetworkEndpointPattern) -> Bool in
                guard case .address(let a) = p.host, p.port == nil || p.port == port else { return false }
                return IPAddressLiteral.bytes(a) == bytes
            }
            if s.denied.contains(where: covers) { return nil }
            return s.allowed.first(where: covers)
        }
    }

    private static func unique(_ patterns: [NetworkEndpointPattern]) -> [NetworkEndpointPattern] {
        var seen = Set<NetworkEndpointPattern>()
        return patterns.filter { seen.insert($0).inserted }
    }
}
