import ArgumentParser
import Foundation
import Supervisor

/// How `sessions` and `net` print their answers.
enum NetOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Sends one request to the user's control socket; a refused request becomes a message on
/// stderr and a failing exit status.
enum NetControlClient {
    static func send(_ request: ControlRequest) throws -> ControlResponse {
        let response: ControlResponse
        do {
            let path = try ControlSocketPath.resolve(environment: ProcessInfo.processInfo.environment, create: false)
            response = try ControlClient.send(request, path: path)
        } catch {
            throw fail(error.description)
        }
        guard response.ok else { throw fail(response.error ?? "the supervisor refused the request") }
        return response
    }

    static func printJSON(_ response: ControlResponse) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(response), as: UTF8.self))
    }

    private static func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("cordon: \(message)\n".utf8))
        return ExitCode.failure
    }
}
