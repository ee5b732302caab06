import ArgumentParser

/// The `cordon` command: a least-privilege runtime for desktop AI agents.
@main
struct Cordon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cordon",
        abstract: "Run an AI agent so that it can do the task it was given and nothing more.",
        subcommands: [AuditCommand.self, NetCommand.self, SessionsCommand.self, RunCommand.self, DoctorCommand.self, PolicyCommand.self]
    )
}
