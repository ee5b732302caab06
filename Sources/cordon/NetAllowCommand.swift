import ArgumentParser
import Supervisor

/// `cordon net allow --session ID HOST:PORT`.
struct NetAllowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allow", abstract: "Let a running session reach HOST:PORT.")

    @OptionGroup var options: NetSessionOptions

    @Argument(help: "HOST:PORT, *.domain:PORT, [v6]:PORT; the port may be *.")
    var endpoint: String

    func run() throws {
        let request = ControlRequest(operation: .netAllow, session: options.session, endpoint: endpoint)
        try options.render(try NetControlClient.send(request))
    }
}
