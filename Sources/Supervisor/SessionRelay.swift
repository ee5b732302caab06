#if canImport(Glibc)
import Glibc
#endif

/// Connects a running program to the person: its pty to their terminal (raw mode, window size,
/// OSC 52 filtered), signals passed on, and its end turned into an exit status. Cordon writes
/// nothing of its own here.
enum SessionRelay {
    static func run(_ program: some RunningProgram, signals: borrowing SignalRelay, clipboardWrites: Bool) -> ProgramExit {
        guard let master = program.terminalDescriptor else { return waitOnly(program, signals: signals) }
        // The same streams the launch gave the pty (`TerminalStreams.fitted`); a stream the
        // program holds itself (a pipe on stdin) is not read here.
        let streams = TerminalStreams.relayed()
        let input: Int32 = 0
        // Where the pty's output goes: stdout or stderr when the pty took them, else the
        // terminal on stdin, where the person sees their keys echoed.
        let output: Int32 = streams.contains(.output) ? 1 : streams.contains(.error) ? 2 : 0
        let person = TerminalStreams.personTerminal()
        let saved = streams.contains(.input) && isatty(input) == 1 ? TerminalControl.makeRaw(input) : nil
        defer { if let saved { TerminalControl.restore(saved) } }
        // Keys reach the pty as bytes only from a raw stdin; otherwise the person's terminal
        // turns Ctrl-C and Ctrl-\ into signals for Cordon, passed on to the pty's foreground.
        let keysAsBytes = saved != nil
        if let person { TerminalControl.copyWindowSize(from: person, to: master) }
        TerminalControl.setNonBlocking(master)

        var filter = ClipboardEscapeFilter(allowWrites: clipboardWrites)
        var pending: [UInt8] = []
        var inputOpen = streams.contains(.input)
        var masterOpen = true
        var exit: ProgramExit?
        var buffer = [UInt8](repeating: 0, count: 65536)

        while exit == nil || masterOpen {
            var fds = [pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0)]
            if exit == nil { fds.append(pollfd(fd: program.exitNotice, events: Int16(POLLIN), revents: 0)) }
            if masterOpen { fds.append(pollfd(fd: master, events: Int16(POLLIN) | (pending.isEmpty ? 0 : Int16(POLLOUT)), revents: 0)) }
            if inputOpen && pending.count < buffer.count { fds.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0)) }
            // Once the program has ended, only drain what it left in the pty.
            let ready = poll(&fds, nfds_t(fds.count), exit == nil ? -1 : 0)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 && exit != nil { break }
            for fd in fds where fd.revents != 0 {
                switch fd.fd {
                case signals.descriptor:
                    while let (signal, fromKernel) = signals.next() {
                        switch signal {
                        case SIGCHLD: continue
                        case SIGWINCH: if let person { TerminalControl.copyWindowSize(from: person, to: master) }
                        case SIGINT where fromKernel && !keysAsBytes, SIGQUIT where fromKernel && !keysAsBytes:
                            TerminalControl.signalForeground(of: master, signal)
                        // In raw mode keys reach the agent as bytes; a terminal's own signal is
                        // then only a hang-up, which the agent must hear about.
                        default: if !fromKernel || signal == SIGHUP { program.forward(signal) }
                        }
                    }
                case program.exitNotice:
                    exit = program.waitForExit()
                case master:
                    if fd.revents & Int16(POLLOUT) != 0 && !pending.isEmpty {
                        let written = pending.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
                        if written > 0 { pending.removeFirst(written) }
                    }
                    if fd.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                        let count = read(master, &buffer, buffer.count)
                        if count > 0 {
                            writeAll(output, filter.filter(buffer[..<count]))
                        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                            masterOpen = false
                        }
                    }
                default:
                    let count = read(input, &buffer, buffer.count - pending.count)
                    if count > 0 {
                        pending += buffer[..<count]
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        inputOpen = false
                    }
                }
            }
        }
        return exit ?? program.waitForExit()
    }

    /// Standard streams are the program's own; only signals and the end need handling.
    private static func waitOnly(_ program: some RunningProgram, signals: borrowing SignalRelay) -> ProgramExit {
        while true {
            var fds = [pollfd(fd: signals.descriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: program.exitNotice, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 { continue }
            if fds[1].revents != 0 { return program.waitForExit() }
            while let (signal, _) = signals.next() {
                switch signal {
                case SIGCHLD, SIGWINCH: continue
                // The sandbox is in a session of its own, so a terminal's Ctrl-C reaches only
                // Cordon: pass it on like any other.
                default: program.forward(signal)
                }
            }
        }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
