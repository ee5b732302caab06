/// The target of a `network:` capability: a host pattern and a port pattern.
///
/// Hosts are matched on the name as the client wrote it, before any resolution: an exact name
/// (case-insensitive, trailing dot ignored), a `*.domain` wildcard that matches any name strictly
/// below `domain`, or an IP literal (IPv6 in brackets in the text form: `[::1]:5432`).
public struct NetworkEndpointPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The host part.
    public enum Host: Sendable, Hashable, Codable {
        /// An exact DNS name, lowercased, without a trailing dot.
        case name(String)
        /// `*.suffix`: any name that ends in `.suffix` (the suffix alone does not match).
        case wildcard(suffix: String)
        /// An IPv4 or IPv6 literal, in its canonical text form.
        case address(String)
    }

    public var host: Host
    /// The port, or `nil` for `*` (any port).
    public var port: UInt16?

    public init(host: Host, port: UInt16?) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `*.domain:port`, `[v6]:port` or `v4:port`; the port may be `*`.
    public init(parsing text: String) throws(CapabilityError) {
        let invalid = { (why: String) in
            CapabilityError.invalid(text: text, expected: "HOST:PORT (e.g. api.example.com:443, *.example.com:443, [::1]:5432, localhost:*): \(why)")
        }
        let hostText: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("missing ]") }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid("missing :PORT after ]") }
            portText = rest.dropFirst()
            guard IPAddressText.isIPv6(String(hostText)) else { throw invalid("'\(hostText)' is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid("missing :PORT") }
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
            if hostText.contains(":") { throw invalid("write IPv6 addresses in brackets") }
        }
        if portText == "*" {
            port = nil
        } else if let p = UInt16(portText), p > 0 {
            port = p
        } else {
            throw invalid("'\(portText)' is not a port (1-65535 or *)")
        }
        var h = hostText.lowercased()
        if h.hasSuffix(".") { h.removeLast() }
        guard !h.isEmpty else { throw invalid("empty host") }
        if IPAddressText.isIPv4(h) || IPAddressText.isIPv6(h) {
            host = .address(h)
        } else if h.hasPrefix("*.") {
            let suffix = String(h.dropFirst(2))
            guard IPAddressText.isDNSName(suffix) else { throw invalid("'\(suffix)' is not a DNS name") }
            host = .wildcard(suffix: suffix)
        } else {
            guard IPAddressText.isDNSName(h) else { throw invalid("'\(h)' is not a DNS name, IP address or *.domain") }
            host = .name(h)
        }
    }

    /// True when a request for `host` (as the client named it) and `port` is covered.
    public func matches(host requested: String, port requestedPort: UInt16) -> Bool {
        if let port, port != requestedPort { return false }
        var name = requested.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        switch host {
        case .name(let n): return n == name
        case .address(let a):
            // Compare bytes, not text: `::1`, `0::1` and `0:0:0:0:0:0:0:1` name the same host.
            guard let want = IPAddressLiteral.bytes(a), let got = IPAddressLiteral.bytes(name) else { return false }
            return want == got
        case .wildcard(let suffix): return name.hasSuffix("." + suffix) && !IPAddressText.isIPv4(name)
        }
    }

    /// The canonical text form, as accepted by `init(parsing:)`.
    public var description: String {
        let p = port.map(String.init) ?? "*"
        switch host {
        case .name(let n): return "\(n):\(p)"
        case .wildcard(let s): return "*.\(s):\(p)"
        case .address(let a): return a.contains(":") ? "[\(a)]:\(p)" : "\(a):\(p)"
        }
    }
}

/// IP literals as the bytes they denote, parsed in pure Swift (no `inet_pton`).
public enum IPAddressLiteral {
    /// The 4 or 16 network-order bytes of a strict dotted-quad IPv4 or an IPv6 literal (brackets
    /// allowed), or `nil` when `text` is not an IP literal.
    public static func bytes(_ text: String) -> [UInt8]? {
        var s = Substring(text)
        if s.hasPrefix("[") && s.hasSuffix("]") { s = s.dropFirst().dropLast() }
        if IPAddressText.isIPv4(String(s)) { return s.split(separator: ".").map { UInt8($0)! } }
        guard IPAddressText.isIPv6(String(s)) else { return nil }
        return ipv6Bytes(s)
    }

    private static func ipv6Bytes(_ s: Substring) -> [UInt8]? {
        func groups(_ part: Substring) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt8] = []
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                if g.contains(".") {
                    guard let v4 = bytes(String(g)), v4.count == 4 else { return nil }
                    out += v4
                } else {
                    guard let v = UInt16(g, radix: 16) else { return nil }
                    out += [UInt8(v >> 8), UInt8(v & 0xff)]
                }
            }
            return out
        }
        let colon = UInt8(ascii: ":")
        let utf8 = Array(s.utf8)
        if let i = utf8.indices.dropLast().first(where: { utf8[$0] == colon && utf8[$0 + 1] == colon }) {
            let headText = Substring(decoding: utf8[..<i], as: UTF8.self)
            let tailText = Substring(decoding: utf8[(i + 2)...], as: UTF8.self)
            guard let head = groups(headText), let tail = groups(tailText),
                head.count + tail.count < 16
            else { return nil }
            return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
        }
        guard let all = groups(s), all.count == 16 else { return nil }
        return all
    }
}

/// Syntax checks for host text. Pure string work: no resolution, no system calls.
enum IPAddressText {
    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCIIDigit) && Int(p)! <= 255 && !(p.count > 1 && p.first == "0")
        }
    }

    static func isIPv6(_ s: String) -> Bool {
        guard s.contains(":"), s.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        let chars = Array(s.utf8)
        let doubleColons = zip(chars, chars.dropFirst()).filter { $0 == UInt8(ascii: ":") && $1 == UInt8(ascii: ":") }.count
        guard doubleColons <= 1 else { return false }
        let groups = s.split(separator: ":", omittingEmptySubsequences: true)
        var count = 0
        for (i, g) in groups.enumerated() {
            if g.contains(".") {
                guard i == groups.count - 1, isIPv4(String(g)) else { return false }
                count += 2
            } else {
                guard g.count <= 4 else { return false }
                count += 1
            }
        }
        return doubleColons == 1 ? count < 8 : count == 8
    }

    static func isDNSName(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
