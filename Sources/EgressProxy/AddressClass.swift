import SandboxPolicy

/// What kind of destination an address is, for the rebinding check: anything but `.global`
/// is reachable only when a capability names that address literally.
public enum AddressClass: String, Sendable, Codable, Equatable {
    /// An ordinary address on the internet.
    case global
    /// 127.0.0.0/8 and ::1.
    case loopback
    /// 169.254.0.0/16 (cloud metadata services live here) and fe80::/10.
    case linkLocal = "link-local"
    /// RFC 1918 ranges and IPv6 unique-local fc00::/7.
    case privateNetwork = "private"
    /// 100.64.0.0/10, carrier-grade NAT.
    case sharedAddressSpace = "shared-address-space"
    /// 0.0.0.0/8 and ::, which reach the local host on Linux.
    case unspecified
    /// 224.0.0.0/4 and ff00::/8.
    case multicast
    /// Documentation, benchmarking, protocol-assignment and other reserved ranges.
    case reserved
    /// An address of one of this host's own interfaces.
    case hostAddress = "host-address"

    /// Classifies 4 or 16 network-order bytes; `hostAddresses` are this host's interface addresses.
    public static func classify(_ bytes: [UInt8], hostAddresses: Set<[UInt8]> = []) -> AddressClass {
        of(bytes, hostAddresses: hostAddresses)
    }

    static func of(_ bytes: [UInt8], hostAddresses: Set<[UInt8]> = []) -> AddressClass {
        if hostAddresses.contains(bytes) { return .hostAddress }
        if bytes.count == 4 { return ipv4(bytes) }
        guard bytes.count == 16 else { return .reserved }
        return ipv6(bytes, hostAddresses: hostAddresses)
    }

    private static let ipv4Ranges: [(prefix: [UInt8], bits: Int, kind: AddressClass)] = [
        ([0, 0, 0, 0], 8, .unspecified),
        ([10, 0, 0, 0], 8, .privateNetwork),
        ([100, 64, 0, 0], 10, .sharedAddressSpace),
        ([127, 0, 0, 0], 8, .loopback),
        ([169, 254, 0, 0], 16, .linkLocal),
        ([172, 16, 0, 0], 12, .privateNetwork),
        ([192, 0, 0, 0], 24, .reserved),
        ([192, 0, 2, 0], 24, .reserved),
        ([192, 88, 99, 0], 24, .reserved),
        ([192, 168, 0, 0], 16, .privateNetwork),
        ([198, 18, 0, 0], 15, .reserved),
        ([198, 51, 100, 0], 24, .reserved),
        ([203, 0, 113, 0], 24, .reserved),
        ([224, 0, 0, 0], 4, .multicast),
        ([240, 0, 0, 0], 4, .reserved),
    ]

    private static let ipv6Ranges: [(prefix: [UInt8], bits: Int, kind: AddressClass)] = [
        ([0x01, 0x00], 64, .reserved),  // discard-only
        ([0x20, 0x01, 0x0d, 0xb8], 32, .reserved),  // documentation
        ([0x20, 0x01], 23, .reserved),  // IETF protocol assignments, Teredo
        ([0x3f, 0xff], 20, .reserved),  // documentation
        ([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, .reserved),  // local-use NAT64
        ([0xfc], 7, .privateNetwork),
        ([0xfe, 0x80], 10, .linkLocal),
        ([0xfe, 0xc0], 10, .reserved),  // deprecated site-local
        ([0xff], 8, .multicast),
    ]

    private static func ipv4(_ b: [UInt8]) -> AddressClass {
        ipv4Ranges.first { hasPrefix(b, $0.prefix, bits: $0.bits) }?.kind ?? .global
    }

    private static func ipv6(_ b: [UInt8], hostAddresses: Set<[UInt8]>) -> AddressClass {
        let zeros10 = b[0..<10].allSatisfy { $0 == 0 }
        if zeros10 && b[10] == 0xff && b[11] == 0xff { return of(Array(b[12...]), hostAddresses: hostAddresses) }  // v4-mapped
        if hasPrefix(b, [0x00, 0x64, 0xff, 0x9b], bits: 96) { return of(Array(b[12...]), hostAddresses: hostAddresses) }  // NAT64
        if b[0] == 0x20 && b[1] == 0x02 { return of(Array(b[2..<6]), hostAddresses: hostAddresses) }  // 6to4 embeds v4
        if zeros10 && b[10] == 0 && b[11] == 0 {
            if b[12..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
            if b[12...].allSatisfy({ $0 == 0 }) { return .unspecified }
            return .reserved  // deprecated v4-compatible
        }
        return ipv6Ranges.first { hasPrefix(b, $0.prefix, bits: $0.bits) }?.kind ?? .global
    }

    private static func hasPrefix(_ b: [UInt8], _ prefix: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        for i in 0..<b.count where remaining > 0 {
            let want = i < prefix.count ? prefix[i] : 0
            let n = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - n))
            if b[i] & mask != want & mask { return false }
            remaining -= n
        }
        return true
    }
}
