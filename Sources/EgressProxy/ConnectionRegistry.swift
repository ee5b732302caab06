import NIOConcurrencyHelpers
import NIOCore

/// The client connections and open tunnels of one session: the connection bound, and the list
/// a live deny walks to cut what is no longer allowed.
final class ConnectionRegistry: Sendable {
    /// An open connection to a destination.
    struct Tunnel: Sendable {
        var host: String
        var port: UInt16
        var address: SocketAddress
        /// Closes both sides, recording `reason`. Safe from any thread.
        var cut: @Sendable (_ reason: String) -> Void
    }

    private struct State {
        var clients = 0
        var nextID: UInt64 = 0
        var tunnels: [UInt64: Tunnel] = [:]
    }

    private let state = NIOLockedValueBox(State())

    /// Counts a new client connection unless `limit` are already open.
    func admitClient(limit: Int) -> Bool {
        state.withLockedValue { s in
            guard s.clients < limit else { return false }
            s.clients += 1
            return true
        }
    }

    /// Forgets a client connection admitted earlier.
    func releaseClient() {
        state.withLockedValue { $0.clients -= 1 }
    }

    /// Client connections open now.
    var clientCount: Int { state.withLockedValue { $0.clients } }

    /// Remembers a tunnel until `remove` is called with the returned key.
    func add(_ tunnel: Tunnel) -> UInt64 {
        state.withLockedValue { s in
            s.nextID += 1
            s.tunnels[s.nextID] = tunnel
            return s.nextID
        }
    }

    /// Forgets a tunnel.
    func remove(_ key: UInt64) {
        _ = state.withLockedValue { $0.tunnels.removeValue(forKey: key) }
    }

    /// The tunnels open now.
    var tunnels: [Tunnel] { state.withLockedValue { Array($0.tunnels.values) } }
}
