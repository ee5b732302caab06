import EgressProxy
import Foundation
import SandboxPolicy
import Testing

/// A capability naming an IP literal allows that literal and nothing more: a name resolving to
/// the address still needs a capability of its own.
@Suite(.serialized) struct LiteralCapabilityTests {
    @Test func aLiteralGrantDoesNotCoverNamesOrOtherPorts() throws {
        let rules = EgressRules(allowed: [try NetworkEndpointPattern(parsing: "10.0.0.5:443")])
        #expect(rules.match(host: "10.0.0.5", port: 443) != nil)
        #expect(rules.match(host: "internal.test", port: 443) == nil)
        #expect(rules.match(host: "10.0.0.5", port: 444) == nil)
        #expect(rules.match(host: "10.0.0.6", port: 443) == nil)
    }

    @Test func aNameResolvingToAGrantedLiteralIsRefusedUntilNamed() async throws {
        let origin = try Origin(address: "127.0.0.5")
        defer { origin.stop() }
        let port = origin.httpPort
        let proxy = try await ProxyFixture(
            allow: ["127.0.0.5:\(port)"], names: ["alias.test": ["127.0.0.5"], "elsewhere.test": ["127.0.0.6"]])
        func fetch(_ url: String) throws -> String { try run(["curl", "-sS", "-i", "-x", proxy.url, url]).stdout }

        // Positive control: the literal the capability names is served.
        #expect(try fetch("http://127.0.0.5:\(port)/").hasPrefix("HTTP/1.1 200"))
        let byName = try fetch("http://alias.test:\(port)/")
        #expect(byName.hasPrefix("HTTP/1.1 403") && byName.contains("X-Cordon-Deny: network:alias.test:\(port)"), "\(byName)")
        #expect(!proxy.resolver.queries.contains("alias.test"))
        let otherPort = try fetch("http://127.0.0.5:\(origin.echoPort)/")
        #expect(otherPort.hasPrefix("HTTP/1.1 403"), "\(otherPort)")

        // Once the name is granted too, it may lead to the address the literal grant names...
        proxy.session.allow(try NetworkEndpointPattern(parsing: "alias.test:\(port)"))
        #expect(try fetch("http://alias.test:\(port)/").hasPrefix("HTTP/1.1 200"))
        // ...but a granted name leading to a loopback address no capability names is refused.
        proxy.session.allow(try NetworkEndpointPattern(parsing: "elsewhere.test:\(port)"))
        let rebound = try fetch("http://elsewhere.test:\(port)/")
        #expect(rebound.hasPrefix("HTTP/1.1 403") && rebound.contains("X-Cordon-Deny: network:127.0.0.6:\(port)"), "\(rebound)")
        try await proxy.stop()
    }
}
