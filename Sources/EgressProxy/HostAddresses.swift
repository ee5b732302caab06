import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// This host's own interface addresses, refreshed at most every few seconds (interfaces come
/// and go; enumerating them costs a netlink round trip).
final class HostAddresses: Sendable {
    private struct Snapshot {
        var bytes: Set<[UInt8]>
        var taken: NIODeadline
    }

    private let fixed: Set<[UInt8]>?
    private let snapshot = NIOLockedValueBox<Snapshot?>(nil)
    private static let refresh = TimeAmount.seconds(2)

    /// `fixed` replaces enumeration (tests); `nil` enumerates the interfaces.
    init(fixed: [SocketAddress]?) {
        self.fixed = fixed.map { Set($0.compactMap(\.ipBytes)) }
    }

    var current: Set<[UInt8]> {
        if let fixed { return fixed }
        let now = NIODeadline.now()
        return snapshot.withLockedValue { s in
            if let s, now - s.taken < Self.refresh { return s.bytes }
            let devices = (try? System.enumerateDevices()) ?? []
            let bytes = Set(devices.compactMap { $0.address?.ipBytes })
            s = Snapshot(bytes: bytes, taken: now)
            return bytes
        }
    }
}

extension SocketAddress {
    /// The 4 or 16 network-order address bytes of an IP socket address.
    var ipBytes: [UInt8]? {
        switch self {
        case .v4(let a):
            return withUnsafeBytes(of: a.address.sin_addr) { Array($0) }
        case .v6(let a):
            return withUnsafeBytes(of: a.address.sin6_addr) { Array($0) }
        case .unixDomainSocket:
            return nil
        }
    }
}
