import EgressProxy
import NIOCore
import NIOPosix
import Testing

/// The hosts file only the proxy reads: its names are answered from it, others by the fallback.
struct PinnedNameResolverTests {
    @Test func parsesHostsLinesWithAliasesAndComments() {
        let table = PinnedNameResolver.parseHosts("""
            # comment
            127.0.0.5  one.test  One-Alias.test   # trailing
            ::1\ttwo.test
            not-an-address three.test
            10.0.0.9 one.test

            """)
        #expect(table == ["one.test": ["127.0.0.5", "10.0.0.9"], "one-alias.test": ["127.0.0.5"], "two.test": ["::1"]])
    }

    @Test func answersPinnedNamesAndAsksTheFallbackForOthers() async throws {
        let fallback = NameMapResolver(["other.test": ["127.0.0.9"]])
        let resolver = PinnedNameResolver(["pinned.test": ["127.0.0.5"]], fallback: fallback)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let pinned = try await resolver.resolve(host: "Pinned.Test.", port: 80, on: loop).get()
        #expect(pinned.map(\.ipAddress) == ["127.0.0.5"])
        #expect(fallback.queries.isEmpty)
        let other = try await resolver.resolve(host: "other.test", port: 80, on: loop).get()
        #expect(other.map(\.ipAddress) == ["127.0.0.9"])
        #expect(fallback.queries == ["other.test"])
    }
}
