import EgressProxy
import SandboxPolicy
import Testing

/// Pure pieces of the decision: address classes, literal matching, the proxy environment.
struct DecisionUnitTests {
    @Test(arguments: [
        ("169.254.169.254", AddressClass.linkLocal), ("10.1.2.3", .privateNetwork), ("172.31.0.1", .privateNetwork),
        ("192.168.1.1", .privateNetwork), ("100.64.0.1", .sharedAddressSpace), ("127.8.8.8", .loopback),
        ("0.0.0.0", .unspecified), ("224.0.0.1", .multicast), ("255.255.255.255", .reserved), ("8.8.8.8", .global),
        ("172.32.0.1", .global), ("::1", .loopback), ("::", .unspecified), ("fd12::1", .privateNetwork),
        ("fe80::1", .linkLocal), ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .linkLocal),
        ("64:ff9b::a00:1", .privateNetwork), ("2002:a00:1::", .privateNetwork), ("2606:4700::1", .global), ("ff02::1", .multicast),
    ])
    func addressClasses(_ text: String, _ expected: AddressClass) throws {
        let bytes = try #require(IPAddressLiteral.bytes(text))
        #expect(AddressClass.classify(bytes) == expected)
    }

    @Test func hostAddressesAreRefusedLikePrivateOnes() {
        #expect(AddressClass.classify([203, 0, 114, 9], hostAddresses: [[203, 0, 114, 9]]) == .hostAddress)
        #expect(AddressClass.classify([203, 0, 114, 9]) == .global)
    }

    @Test func literalsMatchWhateverTheirSpelling() throws {
        let pattern = try NetworkEndpointPattern(parsing: "[::1]:5432")
        #expect(pattern.matches(host: "0:0:0:0:0:0:0:1", port: 5432))
        #expect(pattern.matches(host: "[0::1]", port: 5432))
        #expect(!pattern.matches(host: "::2", port: 5432))
        #expect(!pattern.matches(host: "::1", port: 5433))
        #expect(IPAddressLiteral.bytes("1.2.3") == nil)
        #expect(IPAddressLiteral.bytes("::ffff:1.2.3.4") == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4])
    }

    @Test func rulesDenyTakesPrecedenceOverAWildcard() throws {
        let rules = EgressRules(allowed: [try .init(parsing: "*.example.com:443")])
        #expect(rules.match(host: "api.example.com", port: 443) != nil)
        rules.deny(try .init(parsing: "api.example.com:443"))
        #expect(rules.match(host: "api.example.com", port: 443) == nil)
        #expect(rules.match(host: "www.example.com", port: 443) != nil)
        rules.allow(try .init(parsing: "api.example.com:443"))
        #expect(rules.match(host: "api.example.com", port: 443) != nil)
    }

    @Test func proxyEnvironment() {
        let env = ProxyEnvironment.variables(port: 3128)
        #expect(env.contains("HTTP_PROXY=http://127.0.0.1:3128"))
        #expect(env.contains("https_proxy=http://127.0.0.1:3128"))
        #expect(env.contains("ALL_PROXY=socks5h://127.0.0.1:3128"))
        #expect(env.contains("NO_PROXY=localhost,127.0.0.1,::1"))
        #expect(env.contains("NODE_USE_ENV_PROXY=1"))
        #expect(env.contains { $0.hasPrefix("JAVA_TOOL_OPTIONS=") && $0.contains("-Dhttps.proxyPort=3128") })
        #expect(env == env.sorted { $0.prefix { $0 != "=" } < $1.prefix { $0 != "=" } })
    }

    @Test func hostServicesComeFromLoopbackGrantsWithAPort() throws {
        let patterns = try ["localhost:5432", "127.0.0.1:6379", "[::1]:22", "localhost:*", "api.example.com:443"]
            .map { try NetworkEndpointPattern(parsing: $0) }
        let services = HostServiceForwarder.services(for: patterns)
        #expect(services == [
            .init(address: "127.0.0.1", port: 5432), .init(address: "::1", port: 5432),
            .init(address: "127.0.0.1", port: 6379), .init(address: "::1", port: 22),
        ])
    }
}
