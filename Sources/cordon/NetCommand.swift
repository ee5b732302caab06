import ArgumentParser
import Supervisor

/// `cordon net`: the network capabilities of a running session.
struct NetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "net", abstract: "Show or change the network capabilities of a running session.",
        subcommands: [NetListCommand.self, NetAllowCommand.self, NetDenyCommand.self])
}

/// The options every `net` subcommand takes.
struct NetSessionOptions: ParsableArguments {
    @Option(help: "The session, as listed by `cordon sessions`.")
    var session: String

    @Option(help: "Output format: text or json.")
    var format: NetOutputFormat = .text

    func render(_ response: ControlResponse) throws {
        if format == .json { return try NetControlClient.printJSON(response) }
        for target in response.allowed ?? [] { print("allow network:\(target)") }
        for target in response.denied ?? [] { print("deny  network:\(target)") }
        if let cut = response.tunnelsCut { print("\(cut) open connection(s) cut") }
    }
}
