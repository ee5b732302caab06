import CCordonLinux
#if canImport(Glibc)
import Glibc
#endif

/// Starts a detached POSIX thread running a closure, with every signal blocked: a signal sent to
/// the process is for the thread that waits for it (the supervisor's signal relay), and a
/// helper thread started before that relay blocked them would otherwise take it, with the
/// default action (a SIGCHLD lost, a SIGINT ending Cordon). Used instead of Foundation's
/// `Thread` on the launch path: the first `Thread` of a process initialises Foundation's class
/// metadata, which a short-lived `cordon run` pays at every start.
public enum DetachedThread {
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
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        var thread = pthread_t()
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
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
