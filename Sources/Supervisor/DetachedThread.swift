import CCordonLinux
#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached POSIX thread running a closure. Used instead of Foundation's `Thread`
/// on the launch path: the first `Thread` of a process initialises Foundation's class
/// metadata, which a short-lived `cordon run` pays at every start.
enum DetachedThread {
    private final class Body {
        let name: String
        let run: @Sendable () -> Void
        init(name: String, run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }

    /// Runs `body` on a new thread named `name` (the first 15 bytes show in `ps -L`); false when
    /// the thread could not be created, and then `body` never runs.
    @discardableResult
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            _ = cordon_name_this_thread(body.name)
            body.run()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
