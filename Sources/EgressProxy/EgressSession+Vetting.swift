import NIOCore
import SandboxPolicy

/// The addresses a request may go to, and the capability that allowed it.
struct VettedDestination: Sendable {
    var addresses: [SocketAddress]
    var capability: NetworkEndpointPattern
}

extension EgressSession {
    /// Decides `host:port` as the client named it: the name is checked against the capabilities
    /// before any resolution (a denied name never reaches the resolver), then every address the
    /// name resolves to is vetted, and only vetted addresses are returned.
    func vet(host: String, port: UInt16, on loop: any EventLoop) -> EventLoopFuture<VettedDestination> {
        let target = Self.display(host: host, port: port)
        guard let capability = rules.match(host: host, port: port) else {
            return loop.makeFailedFuture(
                Denial(
                    code: .noCapability, reason: "no network capability covers \(target)",
                    capabilityNeeded: "network:\(target)"))
        }
        if let bytes = IPAddressLiteral.bytes(host) {
            return loop.makeCompletedFuture {
                VettedDestination(addresses: [try Self.socketAddress(bytes, port: port)], capability: capability)
            }
        }
        if Self.isLocalhost(host) {
            return loop.makeCompletedFuture {
                VettedDestination(
                    addresses: [try SocketAddress(ipAddress: "127.0.0.1", port: Int(port)),
                                try SocketAddress(ipAddress: "::1", port: Int(port))],
                    capability: capability)
            }
        }
        return resolver.resolve(host: host, port: port, on: loop).hop(to: loop)
            .flatMapErrorThrowing { error in
                throw Denial(code: .unresolvable, reason: "\(error)", capabilityNeeded: nil)
            }
            .flatMapThrowing { addresses in
                var refused: (SocketAddress, AddressClass)?
                let allowed = addresses.filter { address in
                    guard let bytes = address.ipBytes else { return false }
                    if let kind = self.addressAllowed(bytes, port: port, by: capability, host: host) {
                        refused = refused ?? (address, kind)
                        return false
                    }
                    return true
                }
                if allowed.isEmpty {
                    let (address, kind) = refused ?? (addresses[0], .reserved)
                    let literal = Self.display(host: address.ipAddress ?? "?", port: port)
                    throw Denial(
                        code: .addressRefused,
                        reason: "\(host) resolved to \(address.ipAddress ?? "?") (\(kind.rawValue)), which only a capability naming that address may reach",
                        capabilityNeeded: "network:\(literal)")
                }
                return VettedDestination(addresses: allowed, capability: capability)
            }
    }

    /// Nil when `bytes` may be reached for a request to `host` allowed by `capability`, else the
    /// class of address that needs a literal grant.
    func addressAllowed(_ bytes: [UInt8], port: UInt16, by capability: NetworkEndpointPattern, host: String) -> AddressClass? {
        if IPAddressLiteral.bytes(host) == bytes { return nil }  // the capability named the literal
        let kind = AddressClass.of(bytes, hostAddresses: hostAddresses.current)
        if kind == .global { return nil }
        if kind == .loopback, Self.isLocalhost(host), case .name = capability.host { return nil }
        if rules.namingAddress(bytes, port: port) != nil { return nil }
        return kind
    }

    /// `localhost` is answered by the proxy itself (RFC 6761), never by DNS.
    static func isLocalhost(_ host: String) -> Bool {
        var h = host.lowercased()
        if h.hasSuffix(".") { h.removeLast() }
        return h == "localhost"
    }

    /// `host:port`, with IPv6 literals in brackets.
    static func display(host: String, port: UInt16) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func socketAddress(_ bytes: [UInt8], port: UInt16) throws -> SocketAddress {
        let text: String
        if bytes.count == 4 {
            text = bytes.map(String.init).joined(separator: ".")
        } else {
            text = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
        return try SocketAddress(ipAddress: text, port: Int(port))
    }
}
