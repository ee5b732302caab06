/// Which enforcement layers a sandboxed run keeps on.
enum LayerSelection: String, CaseIterable, CustomStringConvertible, Sendable {
    case all
    case view
    case landlock
    case seccomp

    var description: String { rawValue }

    /// The layers tested one at a time.
    static let alone: [LayerSelection] = [.view, .landlock, .seccomp]
}

/// The `cordon run` command line for one probe inside the sandbox.
enum SandboxCommand {
    static func argv(cordon: String, fixture: EscapeFixture, layers: LayerSelection, grants: [String], program: [String]) -> [String] {
        var argv = [cordon, "run", "--workspace", fixture.workspace, "--allow-exec", fixture.binDirectory]
        if layers != .all { argv += ["--layers", layers.rawValue] }
        return argv + grants + ["--"] + program
    }
}
