#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Logging
import SandboxPolicy
import Supervisor

/// `cordon run`: start a program in a default-deny sandbox.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a program in a sandbox that can use the workspace and nothing else.",
        discussion: """
        By default the program can read and run what programs need (/usr, /bin, /lib, /opt, a \
        curated /etc with a passwd holding only you), read, write and run the workspace (the \
        current directory or --workspace), and use a private /tmp and an empty home directory. \
        It has no network but its own loopback and Cordon's proxy at 127.0.0.1:3128, which lets \
        nothing through until --allow-net or 'cordon net allow --session ID' names an endpoint; no \
        host unix sockets; and an environment cut down to PATH HOME USER LOGNAME SHELL TERM LANG \
        LC_* TZ COLORTERM.

        Secrets (~/.ssh, ~/.aws, browser profiles, ...) stay unreadable and start-up files \
        (~/.bashrc, .git/hooks, .git/config, .vscode, .envrc, ...) stay unwritable even inside \
        a granted directory; 'cordon doctor --format json' lists them all. Where such a name \
        does not exist yet, its directory allows no new entries: create files in \
        subdirectories instead.

        Grant more with the options below. Capabilities: read-file:P read-dir:P write-file:P \
        write-dir:P exec:P unix-socket:P env:NAME clipboard:write (P may start with ~/ or \
        $WORKSPACE/).

        Examples:
          cordon run -- bash
          cordon run --allow-read ~/notes --allow-write ~/out -- some-agent
          cordon run --capability read-file:/etc/gitconfig --capability env:GITHUB_TOKEN -- sh

        Cordon prints nothing on the program's streams unless the launch fails. It exits with \
        the program's status (128 + signal if it was killed), 125 when it refused or failed to \
        start the session, 127 when the program was not found.
        """)

    @Option(name: .long, help: ArgumentHelp("The directory the program may read, write and run (default: the current directory).", valueName: "dir"))
    var workspace: String?

    @Option(name: .customLong("allow-read"), help: ArgumentHelp("Let the program read a file or directory.", valueName: "path"))
    var allowRead: [String] = []

    @Option(name: .customLong("allow-write"), help: ArgumentHelp("Let the program read and write a file or directory.", valueName: "path"))
    var allowWrite: [String] = []

    @Option(name: .customLong("allow-exec"), help: ArgumentHelp("Let the program read and run a file or what is in a directory.", valueName: "path"))
    var allowExec: [String] = []

    @Option(name: .customLong("capability"), help: ArgumentHelp("Grant a capability, e.g. env:GITHUB_TOKEN or read-file:~/.gitconfig.", valueName: "cap"))
    var capabilities: [String] = []

    @Option(help: ArgumentHelp("Memory cap for the whole sandbox, e.g. 4G (default 8G; needs a memory cgroup).", valueName: "size"))
    var memory: String?

    @Option(help: ArgumentHelp("Process cap for the whole sandbox (default 1024).", valueName: "n"))
    var pids: String?

    @Option(name: .customLong("seccomp-profile"), help: ArgumentHelp("An OCI/Docker seccomp profile (JSON) applied on top of Cordon's own: it can only narrow.", valueName: "file"))
    var seccompProfile: String?

    @Flag(name: .customLong("best-effort"), help: "Start even if the kernel lacks a layer, and say which layers are off.")
    var bestEffort = false

    @Flag(help: "Print the enforcement report and notes on standard error before starting.")
    var verbose = false

    @Option(help: ArgumentHelp("Layers to keep on: all, or view, landlock, seccomp (comma-separated) to test layers alone.", valueName: "list", visibility: .hidden))
    var layers: String = "all"

    @OptionGroup(title: "Audit") var audit: RunAuditOptions

    @OptionGroup(title: "Network") var network: RunNetworkOptions

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The program and its arguments, after --.", valueName: "program"))
    var program: [String] = []

    mutating func validate() throws {
        guard !program.isEmpty else { throw ValidationError("name the program to run after --, e.g. cordon run -- bash") }
        _ = try Self.parseLayers(layers)
    }

    static func parseLayers(_ text: String) throws -> Layers {
        var result: Layers = []
        for name in text.split(separator: ",") {
            switch name {
            case "all": result.formUnion(.all)
            case "view": result.insert(.view)
            case "landlock": result.insert(.landlock)
            case "seccomp": result.insert(.seccomp)
            case "process": result.insert(.process)
            default: throw ValidationError("--layers '\(text)': expected all, or a comma-separated list of view, landlock, seccomp, process")
            }
        }
        // The process layer (no_new_privs) is what Landlock and seccomp stand on.
        if result.contains(.landlock) || result.contains(.seccomp) { result.insert(.process) }
        return result
    }

    /// The command line as typed values.
    func invocation() throws -> RunInvocation {
        var request = SessionRequest(
            program: program, workspace: workspace, allowRead: allowRead, allowWrite: allowWrite, allowExec: allowExec,
            capabilities: capabilities + network.capabilities, memory: memory, pids: pids, seccompProfile: seccompProfile, bestEffort: bestEffort,
            layers: try Self.parseLayers(layers))
        request.localPorts = network.localPorts
        return RunInvocation(request: request, audit: audit.options, verbose: verbose)
    }

    func run() throws {
        throw ExitCode(Self.execute(try invocation()))
    }

    /// Runs the session `invocation` asks for and returns Cordon's exit status.
    static func execute(_ invocation: RunInvocation) -> Int32 {
        let request = invocation.request
        let terminal: TerminalMode = .forStandardStreams()
        do {
            let environment = Self.environment()
            var logger = Logger(label: "cordon.run") { label in StreamLogHandler.standardError(label: label) }
            // Only warnings and errors reach standard error: Cordon keeps the program's streams to the program.
            logger.logLevel = Logger.Level.warning
            let log = try SessionAudit.open(invocation.audit, environment: environment, logger: logger)
            let session = try Session.prepare(request, kernel: Session.probeKernel(), environment: environment, terminal: terminal, audit: log)
            let weakened = session.output.report.weakened.filter { $0.status == .off && $0.detail != "switched off for this run" }
            if invocation.verbose || (request.bestEffort && !weakened.isEmpty) {
                let shown = invocation.verbose ? session.output.report.entries : weakened
                for entry in shown { Self.standardError("cordon: \(entry.layer): \(entry.status.rawValue): \(entry.detail)") }
            }
            if invocation.verbose { for note in session.notes { Self.standardError("cordon: \(note)") } }
            return RunExitCode.code(for: try Session.run(session, audit: log))
        } catch {
            Self.standardError(error.description)
            return RunExitCode.code(for: error)
        }
    }

    static func environment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { result[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        return result
    }

    static func standardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
