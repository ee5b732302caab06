import NIOConcurrencyHelpers
import NIOPosix

/// The caller of one client connection, looked up on a thread pool. What waits for it runs on
/// whichever thread resolves it, never on an event loop: a record of a connection that ends
/// while the session's loop shuts down must still be written.
final class PendingCaller: Sendable {
    private struct State {
        var caller: Caller??
        var waiters: [@Sendable (Caller?) -> Void] = []
    }

    private let state = NIOLockedValueBox(State())

    /// A caller known at once (or known to be unknowable: `nil`).
    init(_ caller: Caller?) {
        state.withLockedValue { $0.caller = .some(caller) }
    }

    /// Looks up the caller of `client` connected to `server` on NIO's shared thread pool.
    init(lookup: any CallerLookup, client: SocketEndpoint, server: SocketEndpoint) {
        NIOThreadPool.singleton.submit { [self] work in
            resolve(work == .active ? lookup.caller(client: client, server: server) : nil)
        }
    }

    /// Runs `body` with the caller once known: at once when it is, else on the resolving thread.
    func whenResolved(_ body: @escaping @Sendable (Caller?) -> Void) {
        let known: Caller?? = state.withLockedValue { state in
            if let caller = state.caller { return caller }
            state.waiters.append(body)
            return nil
        }
        if let caller = known { body(caller) }
    }

    private func resolve(_ caller: Caller?) {
        let waiters = state.withLockedValue { state in
            state.caller = .some(caller)
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter(caller) }
    }
}
