import NIOCore
import SandboxPolicy

/// Names the supervisor was told the addresses of, in hosts(5) form, answered before the system
/// resolver is asked: names only the supervisor should resolve (a split-horizon service, a test
/// name map). The sandbox never sees the table, and an answer is vetted like any other (a pinned
/// loopback or private address still needs a capability naming it).
public struct PinnedNameResolver: EgressResolver {
    private let table: [String: [String]]
    private let fallback: any EgressResolver

    /// Answers from `table` (name → IP literals), and from `fallback` for other names.
    public init(_ table: [String: [String]], fallback: any EgressResolver) {
        self.table = Dictionary(table.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: +)
        self.fallback = fallback
    }

    /// Reads a hosts(5) file: `ADDRESS NAME [ALIAS...]` lines, `#` comments. Lines whose first
    /// field is no IP literal are skipped.
    public static func parseHosts(_ text: String) -> [String: [String]] {
        var table: [String: [String]] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.prefix { $0 != "#" }.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count >= 2, IPAddressLiteral.bytes(fields[0]) != nil else { continue }
            for name in fields.dropFirst() { table[name.lowercased(), default: []].append(fields[0]) }
        }
        return table
    }

    /// The pinned addresses of `host`, or the fallback's answer.
    public func resolve(host: String, port: UInt16, on eventLoop: any EventLoop) -> EventLoopFuture<[SocketAddress]> {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard let literals = table[name] else { return fallback.resolve(host: host, port: port, on: eventLoop) }
        do {
            return eventLoop.makeSucceededFuture(try literals.map { try SocketAddress(ipAddress: $0, port: Int(port)) })
        } catch {
            return eventLoop.makeFailedFuture(ResolutionFailure(host: host, reason: "\(error)"))
        }
    }
}
