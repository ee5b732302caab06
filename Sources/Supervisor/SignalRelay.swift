import LinuxSystem
#if canImport(Glibc)
import Glibc
#endif

/// The signals a session handles, turned into bytes on a pipe the relay loop polls, so that no
/// Swift runs in a signal handler: they stay blocked in every thread and one thread takes them
/// with `sigwaitinfo`.
///
/// They are blocked before the launch (the sandbox's first process resets its mask), so none
/// is lost between the launch and the relay loop.
struct SignalRelay: ~Copyable {
    /// Passed on to the program.
    static let forwarded: [Int32] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2]
    static let handled: [Int32] = forwarded + [SIGWINCH, SIGCHLD]

    /// The read end of the pipe: readable when a signal arrived.
    let descriptor: Int32

    /// Blocks the handled signals and starts the waiting thread; `nil` if that fails.
    init?() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in Self.handled { sigaddset(&set, signal) }
        guard pthread_sigmask(SIG_BLOCK, &set, nil) == 0 else { return nil }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { TerminalControl.setCloseOnExec(end) }
        TerminalControl.setNonBlocking(ends[0])
        let (output, handledSet) = (ends[1], set)
        let started = DetachedThread.start(name: "cordon-signals") {
            var waited = handledSet
            var info = siginfo_t()
            while true {
                let signal = sigwaitinfo(&waited, &info)
                guard signal > 0 else { continue }
                // Two bytes: the signal, and whether a terminal or the kernel sent it.
                var message: [UInt8] = [UInt8(truncatingIfNeeded: signal), info.si_code == SI_KERNEL ? 1 : 0]
                _ = write(output, &message, 2)
            }
        }
        guard started else {
            close(ends[0])
            close(ends[1])
            return nil
        }
        descriptor = ends[0]
    }

    /// The next pending signal and whether the kernel (a terminal) generated it.
    func next() -> (signal: Int32, fromKernel: Bool)? {
        var message: [UInt8] = [0, 0]
        guard read(descriptor, &message, 2) == 2 else { return nil }
        return (Int32(message[0]), message[1] == 1)
    }
}
