#if canImport(Glibc)
import Glibc
#endif

/// The terminal calls of the relay in one place: raw mode through termios, window sizes and
/// non-blocking mode through the C library's typed `ioctl`/`fcntl` overlays (fixed
/// signatures, so no variadic call is made from Swift).
enum TerminalControl {
    /// The person's terminal settings, restored when the session ends.
    struct SavedMode {
        let descriptor: Int32
        let settings: termios
    }

    /// Puts `descriptor` in raw mode: keys, Ctrl-C and Ctrl-Z included, go to the agent's pty
    /// as bytes, where its own line discipline turns them into signals for its own job control.
    static func makeRaw(_ descriptor: Int32) -> SavedMode? {
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { return nil }
        var raw = settings
        cfmakeraw(&raw)
        guard tcsetattr(descriptor, TCSANOW, &raw) == 0 else { return nil }
        return SavedMode(descriptor: descriptor, settings: settings)
    }

    static func restore(_ saved: SavedMode) {
        var settings = saved.settings
        _ = tcsetattr(saved.descriptor, TCSANOW, &settings)
    }

    /// Copies the window size of `source` (the person's terminal) to `target` (the pty master);
    /// the kernel then sends SIGWINCH to the agent's foreground process group.
    static func copyWindowSize(from source: Int32, to target: Int32) {
        var size = winsize()
        guard ioctl(source, UInt(TIOCGWINSZ), &size) == 0 else { return }
        _ = ioctl(target, UInt(TIOCSWINSZ), &size)
    }

    static func setNonBlocking(_ descriptor: Int32) {
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }
}
