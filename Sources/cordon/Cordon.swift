import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// The `cordon` command: a least-privilege runtime for desktop AI agents.
@main
struct Cordon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cordon",
        abstract: "Run an AI agent so that it can do the task it was given and nothing more.",
        subcommands: [AuditCommand.self, RunCommand.self, DoctorCommand.self, PolicyCommand.self, NetCommand.self, SessionsCommand.self]
    )

    /// A well-formed `cordon run` starts without ArgumentParser (see `RunArgumentScanner`);
    /// everything else, help and errors included, goes through it.
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "run", let invocation = RunArgumentScanner.scan(arguments.dropFirst()) {
            Glibc.exit(RunCommand.execute(invocation))
        }
        main(nil)
    }
}
