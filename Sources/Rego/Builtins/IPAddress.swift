import BigInt

/// IP addresses and networks with Go's `net` parsing and printing rules.
struct IPAddress: Hashable, Comparable, Sendable {
    /// 4 bytes for IPv4, 16 for IPv6.
    var bytes: [UInt8]

    static func < (a: IPAddress, b: IPAddress) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    var isV4: Bool { bytes.count == 4 }

    /// The IPv4 form of a v4 or v4-mapped v6 address.
    var v4: IPAddress? {
        if bytes.count == 4 { return self }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return IPAddress(bytes: Array(bytes[12...])) }
        return nil
    }

    var v6: IPAddress { bytes.count == 16 ? self : IPAddress(bytes: Array(repeating: 0, count: 10) + [0xFF, 0xFF] + bytes) }

    var integer: BigUInt { bytes.reduce(BigUInt(0)) { $0 << 8 | BigUInt($1) } }

    init(bytes: [UInt8]) { self.bytes = bytes }

    init(integer: BigUInt, length: Int) {
        var v = integer
        var out = [UInt8](repeating: 0, count: length)
        for i in stride(from: length - 1, through: 0, by: -1) {
            out[i] = UInt8(v & 0xFF)
            v >>= 8
        }
        bytes = out
    }

    /// `net.ParseIP`: dotted IPv4 without leading zeros, or IPv6 (optionally ending in IPv4), no zone.
    static func parse(_ s: String) -> IPAddress? {
        if s.contains(":") { return parseV6(Substring(s)) }
        return parseV4(Substring(s))
    }

    static func parseV4(_ s: Substring) -> IPAddress? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(p.count > 1 && p.first == "0"), let v = Int(p), v <= 255 else { return nil }
            out.append(UInt8(v))
        }
        return IPAddress(bytes: out)
    }

    static func parseV6(_ s: Substring) -> IPAddress? {
        var groups: [UInt16] = []
        var ellipsis: Int?
        var rest = s
        if rest.hasPrefix("::") {
            ellipsis = 0
            rest = rest.dropFirst(2)
            if rest.isEmpty { return IPAddress(bytes: Array(repeating: 0, count: 16)) }
        }
        var tail: [UInt8] = []
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            let field = rest[rest.startIndex..<end]
            if field.contains(".") {
                // An embedded IPv4 address ends the text.
                guard end == rest.endIndex, let v4 = parseV4(field), groups.count <= 6 else { return nil }
                tail = v4.bytes
                rest = rest[end...]
                break
            }
            guard !field.isEmpty, field.count <= 4, let v = UInt16(field, radix: 16),
                  field.allSatisfy({ $0.isHexDigit }) else { return nil }
            groups.append(v)
            rest = rest[end...]
            if rest.hasPrefix("::") {
                guard ellipsis == nil else { return nil }
                ellipsis = groups.count
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix(":") {
                rest = rest.dropFirst()
                if rest.isEmpty { return nil }
            }
        }
        var bytes: [UInt8] = []
        for g in groups { bytes += [UInt8(g >> 8), UInt8(g & 0xFF)] }
        bytes += tail
        if let e = ellipsis {
            guard bytes.count < 16 else { return nil }
            let fill = [UInt8](repeating: 0, count: 16 - bytes.count)
            bytes.insert(contentsOf: fill, at: e * 2)
        }
        guard bytes.count == 16 else { return nil }
        return IPAddress(bytes: bytes)
    }

    /// `net.IP.String`: dotted for IPv4 and v4-mapped addresses, RFC 5952 for the rest.
    var description: String {
        if let v4 { return v4.bytes.map(String.init).joined(separator: ".") }
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            var j = i
            while j < 8, groups[j] == 0 { j += 1 }
            if j - i > bestLength && j - i >= 2 { bestStart = i; bestLength = j - i }
            i = max(j, i + 1)
        }
        var out = ""
        var k = 0
        while k < 8 {
            if k == bestStart {
                out += "::"
                k += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(groups[k], radix: 16)
            k += 1
        }
        return out
    }
}

/// An address with a prefix length; `address` keeps whatever bits were given.
struct IPNetwork: Sendable {
    var address: IPAddress
    var prefix: Int

    var bitLength: Int { address.bytes.count * 8 }

    /// The first address: the given bits under the mask.
    var first: IPAddress {
        let host = bitLength - prefix
        let value = (address.integer >> host) << host
        return IPAddress(integer: value, length: address.bytes.count)
    }

    var last: IPAddress {
        let host = bitLength - prefix
        let value = first.integer | ((BigUInt(1) << host) - 1)
        return IPAddress(integer: value, length: address.bytes.count)
    }

    /// `net.ParseCIDR`, returning the masked network.
    static func parse(_ s: String) -> IPNetwork? {
        guard let slash = s.firstIndex(of: "/") else { return nil }
        let addr = s[..<slash], mask = s[s.index(after: slash)...]
        let ip: IPAddress?
        if addr.contains(":") { ip = IPAddress.parseV6(addr) } else { ip = IPAddress.parseV4(addr) }
        guard let ip, !mask.isEmpty, mask.allSatisfy({ $0.isASCII && $0.isNumber }), mask.count <= 4,
              let n = Int(mask), n <= ip.bytes.count * 8 else { return nil }
        let net = IPNetwork(address: ip, prefix: n)
        return IPNetwork(address: net.first, prefix: n)
    }

    /// `net.IPNet.Contains`: an address of the other family is converted when it can be.
    func contains(_ ip: IPAddress) -> Bool {
        let candidate: IPAddress
        if address.isV4 {
            guard let v4 = ip.v4 else { return false }
            candidate = v4
        } else {
            // An IPv4 address is never inside a pure IPv6 network (Go compares lengths).
            if address.v4 == nil, ip.v4 != nil { return false }
            candidate = ip.v6
        }
        let host = bitLength - prefix
        return candidate.integer >> host == address.integer >> host
    }

    var description: String {
        if !address.isV4, address.v4 != nil, prefix >= 96 {
            return address.description + "/" + String(prefix - 96)
        }
        return address.description + "/" + String(prefix)
    }
}
