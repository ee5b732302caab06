#if canImport(Glibc)
import Glibc
#endif
import SandboxPolicy

/// Which of the supervisor's standard streams are terminals, and what the agent gets for them.
///
/// The agent never receives a descriptor of a host terminal: with one it could push keys into
/// the person's shell (TIOCSTI), read their other input, or change their terminal's settings.
/// Whenever any of stdin, stdout and stderr is a terminal, the agent gets a pseudo-terminal of
/// its own in place of exactly those streams, and keeps the others (pipes, files) as they are:
///
/// - A stream that is a terminal outside is a terminal inside, so the agent behaves as it would
///   unconfined: `agent -p ... | tee log` does not wait for end of input on a stdin it would
///   take for a pipe, progress and colours stay on a terminal stderr, and Ctrl-C, Ctrl-Z and
///   window sizes keep working. Relaying each terminal stream through a pipe instead would
///   lose all of that.
/// - A stream that is a pipe or file outside stays one inside, so output bound for a pipe is
///   not rewritten by a line discipline (`\n` to `\r\n`), stderr does not mix into stdout, and
///   binary input is not read as keys. Giving the pseudo-terminal all three streams would.
enum TerminalStreams {
    /// The standard streams that are terminals.
    static func terminals() -> StandardStreams {
        var streams: StandardStreams = []
        for stream: Int32 in 0..<3 where isatty(stream) == 1 { streams.insert(StandardStreams(rawValue: 1 << stream)) }
        return streams
    }

    /// The streams the relayed pseudo-terminal takes: the terminals, or all three when none is
    /// one (a caller that asked for a relayed terminal over pipes).
    static func relayed() -> StandardStreams {
        let streams = terminals()
        return streams.isEmpty ? .all : streams
    }

    /// The person's terminal whose size and keys the pseudo-terminal follows: stdin when it is
    /// one, else the first terminal among stdout and stderr.
    static func personTerminal() -> Int32? {
        (0..<3).first { isatty($0) == 1 }
    }

    /// `plan` with the streams and the window size of this process's terminal, read just
    /// before the launch, so that the agent starts with the person's size. This is where the
    /// rule holds for every session: a plan prepared for pipes while a stream is a terminal
    /// is relayed too (the launcher passes inherited streams as they are).
    static func fitted(_ plan: LaunchPlan) -> LaunchPlan {
        guard plan.terminal == .relayedPseudoTerminal || !terminals().isEmpty else { return plan }
        var plan = plan
        plan.terminal = .relayedPseudoTerminal
        plan.terminalStreams = relayed()
        plan.terminalSize = personTerminal().flatMap(TerminalControl.windowSize(of:))
        return plan
    }
}

extension TerminalMode {
    /// The mode for this process's standard streams: a relayed pseudo-terminal when any of them
    /// is a terminal (see `TerminalStreams` for why), inherited streams otherwise.
    public static func forStandardStreams() -> TerminalMode {
        TerminalStreams.terminals().isEmpty ? .inheritedPipes : .relayedPseudoTerminal
    }
}
