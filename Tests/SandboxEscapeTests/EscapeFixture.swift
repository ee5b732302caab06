import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One user's world for the escape suite: its own 0755 temp tree with a HOME full of secrets
/// and persistence files, a git workspace inside it, a directory outside it, a host process
/// serving TCP, UDP and unix sockets, a key in the user keyring and a leaked descriptor.
/// Everything is torn down by `close()`.
final class EscapeFixture {
    let user: TestUser
    let root: String
    let probe: String
    let marker: String
    let values: [String: String]
    private let server: ChildProcess
    private let leakedFD: Int32
    /// The descriptor number the leaked file sits at in the child.
    static let leakNumber: Int32 = 9

    var home: String { values["HOME"]! }
    var workspace: String { values["WORKSPACE"]! }
    var binDirectory: String { root + "/bin" }

    init(user: TestUser) throws {
        self.user = user
        let token = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        marker = "cordon-secret-\(token)"
        root = try Self.makeTempDirectory("cordon-escape-\(user)")
        let home = root + "/home", workspace = home + "/project", outside = root + "/outside"
        let state = home + "/.local/state", config = home + "/.config"
        for dir in [root + "/bin", home + "/.ssh", home + "/.aws", workspace, outside, workspace + "/mnt",
                    state + "/cordon/audit", config + "/cordon", config + "/autostart", home + "/.local/bin"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        probe = root + "/bin/cordon-probe"
        try FileManager.default.copyItem(atPath: try ProbeBinary.path(), toPath: probe)
        try Self.write(home + "/.ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n\(marker)\n", mode: 0o600)
        try Self.write(home + "/.aws/credentials", "[default]\naws_secret_access_key = \(marker)\n", mode: 0o600)
        try Self.write(outside + "/secret", "\(marker)\n", mode: 0o600)
        try Self.write(outside + "/leaked", "\(marker)\n", mode: 0o600)
        try Self.write(state + "/cordon/audit/decisions.log", "{\"secret\":\"\(marker)\"}\n", mode: 0o600)
        try Self.write(config + "/cordon/policy.rego", "package cordon\n# \(marker)\n", mode: 0o600)
        try Self.write(workspace + "/README", "a project\n", mode: 0o644)
        try FileManager.default.createSymbolicLink(atPath: workspace + "/link-out", withDestinationPath: outside)
        try Self.gitInit(workspace)
        try Self.gitInit(workspace + "/vendor/lib")
        try user.own(home)
        try user.own(outside)

        let abstract = "@cordon-probe-\(token)"
        let keyDescription = "cordon-probe-\(token)"
        let hostSocket = outside + "/host.sock"
        server = try ChildProcess(
            [probe, "serve", marker, hostSocket, abstract],
            environment: ["CORDON_PROBE_HELD=\(marker)"], directory: outside, user: user, input: .pipe)
        let announcement = try JSONSerialization.jsonObject(with: Data(try server.readLine().utf8)) as? [String: Any] ?? [:]
        let keyResult = try ChildProcess.run([probe, "add-key", keyDescription, marker], environment: [], directory: outside, user: user)
        guard keyResult.exitCode == 0 else { throw FixtureError("add-key as \(user): \(keyResult.stderr)") }

        leakedFD = open(outside + "/leaked", O_RDONLY | O_CLOEXEC)
        guard leakedFD >= 0 else { throw FixtureError("open \(outside)/leaked: \(String(cString: strerror(errno)))") }

        values = [
            "HOME": home, "WORKSPACE": workspace, "OUTSIDE": outside, "MARKER": marker,
            "HOST_PID": "\(announcement["serve"] as? Int ?? -1)",
            "HOST_ADDR": announcement["addr"] as? String ?? "0",
            "TCP_PORT": "\(announcement["tcp"] as? Int ?? 0)", "UDP_PORT": "\(announcement["udp"] as? Int ?? 0)",
            "HOST_SOCKET": hostSocket, "ABSTRACT_SOCKET": abstract, "KEY_DESCRIPTION": keyDescription,
            "CONSOLE": "/dev/tty1", "LEAK_FD": "\(Self.leakNumber)",
            "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": config,
        ]
    }

    func close() {
        server.stop()
        Glibc.close(leakedFD)
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The environment both halves get: the sandbox must strip the secret, the control keeps it.
    var environment: [String] {
        let name = user == .root ? "root" : TestUser.accountName
        return [
            "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(home)", "USER=\(name)", "LOGNAME=\(name)",
            "LANG=C.UTF-8", "TERM=xterm", "XDG_STATE_HOME=\(values["XDG_STATE_HOME"]!)",
            "XDG_CONFIG_HOME=\(values["XDG_CONFIG_HOME"]!)", "AWS_SECRET_ACCESS_KEY=\(marker)",
        ]
    }

    /// Replaces every `$NAME` placeholder; an unknown one is a data error, not a silent pass.
    func expand(_ text: String) throws -> String {
        var result = text
        for (name, value) in values.sorted(by: { $0.key.count > $1.key.count }) {
            result = result.replacingOccurrences(of: "$" + name, with: value)
        }
        if result.contains("$") { throw FixtureError("unknown placeholder in '\(text)'") }
        return result
    }

    /// Puts the host paths a case touches into their declared state.
    func reset(_ steps: [ResetStep]) throws {
        for step in steps {
            let path = try expand(step.path)
            try? FileManager.default.removeItem(atPath: path)
            guard step.state == "present" else { continue }
            let parent = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try Self.write(path, "original\n", mode: 0o644)
            try user.own(parent)
        }
    }

    /// Whether a write reached the host: the file there holds this run's marker.
    func hostFileHoldsMarker(_ path: String) throws -> Bool {
        guard let data = FileManager.default.contents(atPath: try expand(path)) else { return false }
        return String(decoding: data, as: UTF8.self).contains(marker)
    }

    /// The file descriptor to leak into a child, as `(source, number)`.
    var leak: (fd: Int32, at: Int32) { (leakedFD, Self.leakNumber) }

    /// Under /var/tmp: the sandbox gets a fresh /tmp of its own, so nothing under the host's /tmp
    /// can be granted or even seen from inside.
    static func makeTempDirectory(_ prefix: String) throws -> String {
        var template = Array("/var/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp: \(String(cString: strerror(errno)))") }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    static func write(_ path: String, _ contents: String, mode: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: mode]) else {
            throw FixtureError("cannot create \(path)")
        }
    }

    static func gitInit(_ directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let env = ["PATH=/usr/bin:/bin", "HOME=/nonexistent", "GIT_CONFIG_NOSYSTEM=1"]
        let identity = ["-c", "user.name=Cordon Test", "-c", "user.email=test@cordon.invalid"]
        for argv in [["git", "init", "-q"], ["git", "add", "-A"], ["git"] + identity + ["commit", "-q", "--allow-empty", "-m", "initial"]] {
            let r = try ChildProcess.run(["/usr/bin/env"] + argv, environment: env, directory: directory, user: .root)
            guard r.exitCode == 0 else { throw FixtureError("\(argv.joined(separator: " ")) in \(directory): \(r.stderr)") }
        }
        try write(directory + "/.git/hooks/pre-commit", "#!/bin/sh\nexit 0\n", mode: 0o755)
    }
}
