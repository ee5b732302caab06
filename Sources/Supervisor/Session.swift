#if canImport(Glibc)
import Glibc
#endif
import SandboxLauncher
import SandboxPolicy

/// One session, resolved and compiled: the profile built from the request and this machine,
/// the plan, and the report it will produce. Preparing touches the file system (to learn what
/// paths are and to read a seccomp profile) and, when asked, clones the sandbox, which then
/// waits, having run nothing, until the session runs or is dropped.
public struct PreparedSession: Sendable {
    public var profile: Profile
    public var output: ProfileCompiler.Output
    /// Things the person may want to know with `--verbose` (skipped profile rules, ...).
    public var notes: [String]
    /// The sandbox cloned from the plan's shape while the plan was compiled, if asked for.
    public var sandbox: PreparedSandbox?
}

/// Building sessions from requests.
public enum Session {
    /// Resolves `request` against this machine and compiles it for `kernel`. With
    /// `cloneSandbox`, the sandbox is cloned meanwhile (its cgroups and namespaces made on
    /// another thread while the plan is compiled), for `run` to finish.
    public static func prepare(
        _ request: SessionRequest, kernel: KernelFeatures, environment: [String: String], terminal: TerminalMode,
        cloneSandbox: Bool = false
    ) throws(SessionError) -> PreparedSession {
        let facts = HostFileSystemFacts()
        let user = try currentUser(environment: environment)
        let currentDirectory = try workingDirectory()
        let workspace = try realPath(request.workspace ?? currentDirectory, operation: "resolve the workspace",
                                     remedy: "pass an existing directory to --workspace")
        let expansion = PathExpansion(home: user.home, workspace: workspace)
        var notes: [String] = []
        do {
            var capabilities: [Capability] = []
            for (shorthand, paths) in [(Capability.Shorthand.read, request.allowRead), (.write, request.allowWrite), (.exec, request.allowExec)] {
                for path in paths {
                    capabilities.append(try Capability(shorthand: shorthand, path: path, expansion: expansion, currentDirectory: currentDirectory, facts: facts))
                }
            }
            for text in request.capabilities { capabilities.append(try Capability(parsing: text, expansion: expansion)) }
            var seccompProfile: SeccompFilter?
            if let path = request.seccompProfile {
                let imported = try OCISeccompProfile(json: try readProfile(path), path: path, kernelRelease: kernelRelease())
                seccompProfile = imported.filter
                if !imported.skippedNames.isEmpty {
                    notes.append("seccomp profile \(path): skipped names absent on x86_64: \(imported.skippedNames.joined(separator: ", "))")
                }
                notes += imported.skippedRules.map { "seccomp profile \(path): skipped \($0)" }
            }
            let profile = Profile(
                argv: request.program, workspace: workspace,
                workingDirectory: currentDirectory == workspace || currentDirectory.hasPrefix(workspace + "/") ? currentDirectory : workspace,
                user: user, hostEnvironment: environment, capabilities: capabilities,
                memoryLimit: try request.memory.map { text throws(CapabilityError) in try SizeText.bytes(text, option: "--memory") },
                processLimit: try request.pids.map { text throws(CapabilityError) in try SizeText.count(text, option: "--pids") },
                seccompProfile: seccompProfile, terminal: terminal, bestEffort: request.bestEffort, layers: request.layers)
            var directories = CordonDirectories(environment: environment, home: user.home)
            directories.additional = request.cordonPaths
            let compiler = ProfileCompiler(facts: facts, kernel: kernel, cordonDirectories: directories)
            let outline = try compiler.outline(for: profile)
            let sandbox = cloneSandbox ? SandboxLauncher().prepare(outline.shape) : nil
            do {
                var prepared = PreparedSession(profile: profile, output: try compiler.compile(profile, outline: outline), notes: notes, sandbox: sandbox)
                try planNetwork(&prepared, kernel: kernel, localPorts: request.localPorts)
                return prepared
            } catch {
                // Its cgroups are removed before the refusal ends this process.
                sandbox?.discard()
                throw error
            }
        } catch let error as CapabilityError {
            throw .policy(error)
        } catch let error as SessionError {
            throw error
        } catch {
            throw .system(operation: "prepare the session", path: "", reason: "\(error)", remedy: "report this as a bug")
        }
    }

    /// The person running Cordon; the home directory comes from `$HOME`.
    static func currentUser(environment: [String: String]) throws(SessionError) -> UserIdentity {
        let uid = getuid()
        let gid = getgid()
        var name = "user\(uid)"
        var shell = "/bin/sh"
        var home = environment["HOME"] ?? ""
        if let entry = getpwuid(uid) {
            name = String(cString: entry.pointee.pw_name)
            shell = String(cString: entry.pointee.pw_shell)
            if home.isEmpty { home = String(cString: entry.pointee.pw_dir) }
        }
        var groupName = "group\(gid)"
        if let group = getgrgid(gid) { groupName = String(cString: group.pointee.gr_name) }
        guard home.hasPrefix("/") else {
            throw .system(operation: "find the home directory", path: home, reason: "$HOME is not an absolute path", remedy: "set HOME to your home directory")
        }
        while home.count > 1 && home.hasSuffix("/") { home.removeLast() }
        return UserIdentity(name: name, uid: uid, gid: gid, groupName: groupName, home: home, shell: shell.isEmpty ? "/bin/sh" : shell)
    }

    static func workingDirectory() throws(SessionError) -> String {
        guard let pointer = getcwd(nil, 0) else {
            throw .system(operation: "read the current directory", path: "", reason: String(cString: strerror(errno)), remedy: "cd to an existing directory or pass --workspace")
        }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    static func realPath(_ path: String, operation: String, remedy: String) throws(SessionError) -> String {
        guard let pointer = realpath(path, nil) else {
            throw .system(operation: operation, path: path, reason: String(cString: strerror(errno)), remedy: remedy)
        }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Profiles larger than this are refused (Docker's default.json is about 20 KiB).
    static let maximumProfileSize = 4 << 20

    static func readProfile(_ path: String) throws(SessionError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .system(operation: "open the seccomp profile", path: path, reason: String(cString: strerror(errno)), remedy: "pass a readable JSON file to --seccomp-profile")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw .system(operation: "read the seccomp profile", path: path, reason: String(cString: strerror(errno)), remedy: "pass a readable JSON file to --seccomp-profile")
            }
            if count == 0 { return bytes }
            bytes += buffer[..<count]
            guard bytes.count <= maximumProfileSize else {
                throw .system(operation: "read the seccomp profile", path: path, reason: "larger than \(maximumProfileSize) bytes", remedy: "pass a seccomp profile, not another file")
            }
        }
    }

    /// The running kernel's `(major, minor)` from `uname`, for `minKernel` in profiles.
    static func kernelRelease() -> (Int, Int)? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        let release = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}
