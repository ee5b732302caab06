import ArgumentParser
import Foundation
import Rego

/// `cordon policy check`: parses and compiles policies, reporting errors like `opa check`.
struct PolicyCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check Rego files for errors.",
        discussion: """
        Parses and compiles every .rego file (directories recursively) with the checks OPA \
        makes: syntax, unsafe variables, recursion, conflicting rules, arity and operand types. \
        Errors print as file:line with the line and a caret and exit 1.

        Examples:
          cordon policy check policy.rego
          cordon policy check -f json policies/
        """
    )

    @Option(name: [.short, .customLong("format")], help: "Output format: pretty or json.")
    var format: String = "pretty"
    @Argument(help: "Files or directories.")
    var paths: [String]

    func run() throws {
        do {
            let loaded = try PolicyLoader(paths: paths)
            _ = try Policy(modules: loaded.modules, data: loaded.data)
        } catch {
            if format == "json" {
                print(PolicyOutput.errorsJSON(error))
            } else {
                FileHandle.standardError.write(Data((PolicyOutput.errorsText(error) + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }
}
