import Foundation
import NIOHTTP1

/// Where an HTTP proxy request goes: the authority of a `CONNECT` or of an absolute URI.
struct HTTPTarget: Equatable {
    /// The host as the client wrote it, lowercased, without brackets or a trailing dot.
    var host: String
    var port: UInt16
    /// The origin-form request target (`/path?query`) of an absolute URI.
    var path: String

    /// Parses the `host:port` of a `CONNECT`.
    init?(connectAuthority text: String) {
        guard let (host, port) = Self.authority(Substring(text), defaultPort: nil) else { return nil }
        self.host = host
        self.port = port
        self.path = ""
    }

    /// Parses an absolute `http://` URI.
    init?(absoluteURI uri: String) {
        guard uri.prefix(7).lowercased() == "http://" else { return nil }
        let rest = uri.dropFirst(7)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        guard !authority.contains("@"), let (host, port) = Self.authority(authority, defaultPort: 80) else { return nil }
        self.host = host
        self.port = port
        var path = String(rest[end...])
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        self.path = path
    }

    /// True when a `Host` header value names this target (the default port may be left out).
    func matches(hostHeader value: String) -> Bool {
        guard let (host, port) = Self.authority(Substring(value), defaultPort: 80) else { return false }
        return host == self.host && port == self.port
    }

    /// `host:port` with IPv6 literals in brackets.
    var display: String { EgressSession.display(host: host, port: port) }

    private static func authority(_ text: Substring, defaultPort: UInt16?) -> (String, UInt16)? {
        let host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        } else {
            host = text
        }
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "/") }) else { return nil }
        let port: UInt16
        if let portText {
            guard let p = UInt16(portText), p > 0 else { return nil }
            port = p
        } else {
            guard let defaultPort else { return nil }
            port = defaultPort
        }
        return (name, port)
    }
}

extension HTTPHeaders {
    /// Removes hop-by-hop headers (RFC 9110 section 7.6.1) and those the `Connection` header
    /// lists, keeping `Connection: upgrade` and `Upgrade` when `keepUpgrade` is set. Framing
    /// headers stay: bodies are relayed with the framing they arrived with.
    mutating func removeHopByHop(keepUpgrade: Bool) {
        let listed = self["connection"].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in listed where name != "upgrade" && name != "transfer-encoding" && name != "content-length" {
            remove(name: name)
        }
        for name in ["connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te"] {
            remove(name: name)
        }
        if keepUpgrade {
            add(name: "Connection", value: "upgrade")
        } else {
            remove(name: "upgrade")
        }
    }
}
