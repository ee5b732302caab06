import ArgumentParser
import Foundation
import Supervisor

/// `cordon sessions`: the sessions running for this user.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "List running sessions.")

    @Option(help: "Output format: text or json.")
    var format: NetOutputFormat = .text

    func run() throws {
        let response = try NetControlClient.send(ControlRequest(operation: .sessions))
        if format == .json { return try NetControlClient.printJSON(response) }
        let sessions = response.sessions ?? []
        if sessions.isEmpty { return print("no running sessions") }
        let time = ISO8601DateFormatter()
        for s in sessions {
            print("\(s.id)\tpid \(s.supervisorPID)\tsince \(time.string(from: s.started))\t\(s.openConnections) connections\t\(s.command.joined(separator: " "))")
        }
    }
}
