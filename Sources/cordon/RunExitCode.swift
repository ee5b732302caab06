import ArgumentParser
import Supervisor

/// Every exit status `cordon` uses, in one place. The program's own status passes through
/// unchanged (128 + signal when it was killed); Cordon's own failures use the codes container
/// runtimes use, so scripts can tell them apart from the program's.
enum RunExitCode {
    /// Cordon refused or failed to start the session (policy, kernel, launch).
    static let refused: Int32 = 125
    /// The program exists but could not be executed.
    static let cannotExecute: Int32 = 126
    /// The program was not found in the sandbox.
    static let notFound: Int32 = 127

    /// The status for a session error.
    static func code(for error: SessionError) -> Int32 {
        switch error {
        case .launch(_, let notFound): return notFound ? Self.notFound : refused
        case .policy, .system: return refused
        }
    }

    /// The status for how the program ended.
    static func code(for exit: ProgramExit) -> Int32 { exit.shellStatus }
}
