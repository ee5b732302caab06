#if canImport(Glibc)
import Glibc
#endif
import CCordonLinux
import SandboxPolicy

/// The terminal calls of the relay in one place: raw mode through termios, and window sizes,
/// TIOCSIG and descriptor flags through the C shim (ioctl and fcntl are variadic).
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

    /// The window size of the terminal `descriptor`, or `nil` when it is none.
    static func windowSize(of descriptor: Int32) -> TerminalSize? {
        var size = cordon_window_size()
        guard cordon_terminal_get_window_size(descriptor, &size) == 0 else { return nil }
        return TerminalSize(rows: size.rows, columns: size.columns, xPixels: size.x_pixels, yPixels: size.y_pixels)
    }

    /// Copies the window size of `source` (the person's terminal) to `target` (the pty master);
    /// the kernel then sends SIGWINCH to the agent's foreground process group.
    static func copyWindowSize(from source: Int32, to target: Int32) {
        var size = cordon_window_size()
        guard cordon_terminal_get_window_size(source, &size) == 0 else { return }
        _ = cordon_terminal_set_window_size(target, &size)
    }

    /// Sends `signal` to the foreground process group of the agent's pty, as its line
    /// discipline does for a key.
    static func signalForeground(of master: Int32, _ signal: Int32) {
        _ = cordon_terminal_send_signal(master, signal)
    }

    static func setNonBlocking(_ descriptor: Int32) {
        _ = cordon_set_nonblocking(descriptor)
    }

    static func setCloseOnExec(_ descriptor: Int32) {
        _ = cordon_set_close_on_exec(descriptor)
    }
}
