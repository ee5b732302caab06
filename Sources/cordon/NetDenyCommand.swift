import ArgumentParser
import Supervisor

/// `cordon net deny --session ID HOST:PORT`: withdraws a capability and cuts open connections.
struct NetDenyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Stop a running session reaching HOST:PORT, cutting its open connections there.")

    @OptionGroup var options: NetSessionOptions

    @Argument(help: "HOST:PORT, *.domain:PORT, [v6]:PORT; the port may be *.")
    var endpoint: String

    func run() throws {
        let request = ControlRequest(operation: .netDeny, session: options.session, endpoint: endpoint)
        try options.render(try NetControlClient.send(request))
    }
}
