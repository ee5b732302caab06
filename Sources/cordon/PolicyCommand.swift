import ArgumentParser

/// `cordon policy`: the Rego engine's commands, shaped like the `opa` commands they replace.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Evaluate, test, check, format and benchmark Rego policies.",
        subcommands: [PolicyEval.self, PolicyTest.self, PolicyCheck.self, PolicyFmt.self, PolicyBench.self]
    )
}
