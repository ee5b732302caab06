import ArgumentParser
import Supervisor

/// `cordon net list --session ID`.
struct NetListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a session's network capabilities.")

    @OptionGroup var options: NetSessionOptions

    func run() throws {
        try options.render(try NetControlClient.send(ControlRequest(operation: .netList, session: options.session)))
    }
}
