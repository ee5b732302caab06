import ArgumentParser

/// `cordon policy`: the Rego engine's commands, shaped like the `opa` commands they replace.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Evaluate, test, check, format and benchmark Rego policies.",
        discussion: """
        Cordon's decisions are Rego policies, the language of OPA. These commands take the \
        flags and print the JSON shapes of the `opa` commands they replace.

        Examples:
          cordon policy eval -d policy.rego -i input.json 'data.agent.allow'
          cordon policy test -v policies/
          cordon policy check policies/
          cordon policy fmt -l policies/
          cordon policy bench -d policy.rego -i input.json 'data.agent.allow'
        """,
        subcommands: [PolicyEval.self, PolicyTest.self, PolicyCheck.self, PolicyFmt.self, PolicyBench.self]
    )
}
