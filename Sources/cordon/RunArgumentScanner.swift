import AuditLog
import Supervisor

/// Reads a well-formed `cordon run` command line without ArgumentParser, whose reflection
/// costs several milliseconds of start-up on every launch (about a fifth of `cordon run --
/// true`). It knows the same options as `RunCommand` and nothing else: anything it is not
/// sure of (help, an unknown or repeated option, a value that looks like an option, a value
/// that does not validate, no program) makes it answer `nil`, and ArgumentParser then reads
/// the command line and gives its usual help or error. Tests check that both readings agree
/// and that both know the same option names.
enum RunArgumentScanner {
    /// The long options taking a value; an option not listed here or in `flags` is unknown.
    static let valueOptions: Set<String> = [
        "workspace", "allow-read", "allow-write", "allow-exec", "capability", "memory", "pids", "seccomp-profile", "layers",
        "audit", "audit-dir", "audit-sign-key", "allow-net", "allow-local-port",
    ]
    /// The long options without a value.
    static let flags: Set<String> = ["best-effort", "verbose"]
    /// Options that may be given more than once, each time adding a value.
    private static let repeatable: Set<String> = ["allow-read", "allow-write", "allow-exec", "capability", "allow-net", "allow-local-port"]

    /// The invocation `arguments` (what follows `run`) ask for, or `nil` when ArgumentParser
    /// must read them.
    static func scan<Arguments: Collection<String>>(_ arguments: Arguments) -> RunInvocation? {
        var values: [String: [String]] = [:]
        var flagsSeen: Set<String> = []
        var index = arguments.startIndex
        while index != arguments.endIndex {
            let argument = arguments[index]
            arguments.formIndex(after: &index)
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { return nil }
            let option = argument.dropFirst(2)
            let name: String
            let value: String
            if let equals = option.firstIndex(of: "=") {
                name = String(option[..<equals])
                value = String(option[option.index(after: equals)...])
                guard valueOptions.contains(name) else { return nil }
            } else if flags.contains(String(option)) {
                guard flagsSeen.insert(String(option)).inserted else { return nil }
                continue
            } else {
                name = String(option)
                guard valueOptions.contains(name), index != arguments.endIndex else { return nil }
                value = arguments[index]
                arguments.formIndex(after: &index)
                guard !value.hasPrefix("-") else { return nil }
            }
            guard values[name] == nil || repeatable.contains(name) else { return nil }
            values[name, default: []].append(value)
        }
        let program = Array(arguments[index...])
        guard !program.isEmpty else { return nil }

        var ports: [UInt16] = []
        for text in values["allow-local-port"] ?? [] {
            guard let port = UInt16(text) else { return nil }
            ports.append(port)
        }
        let mode = values["audit"]?.first ?? AuditMode.bestEffort.rawValue
        guard let auditMode = AuditMode(rawValue: mode), let layers = try? RunCommand.parseLayers(values["layers"]?.first ?? "all")
        else { return nil }
        var request = SessionRequest(
            program: program, workspace: values["workspace"]?.first, allowRead: values["allow-read"] ?? [],
            allowWrite: values["allow-write"] ?? [], allowExec: values["allow-exec"] ?? [],
            capabilities: (values["capability"] ?? []) + (values["allow-net"] ?? []).map { "network:" + $0 },
            memory: values["memory"]?.first, pids: values["pids"]?.first, seccompProfile: values["seccomp-profile"]?.first,
            bestEffort: flagsSeen.contains("best-effort"), layers: layers)
        request.localPorts = ports
        return RunInvocation(
            request: request,
            audit: SessionAuditOptions(mode: auditMode, directory: values["audit-dir"]?.first, signingKey: values["audit-sign-key"]?.first),
            verbose: flagsSeen.contains("verbose"))
    }
}
