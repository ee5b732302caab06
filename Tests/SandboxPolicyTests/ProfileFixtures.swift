@testable import SandboxPolicy

/// A file system described by a map, for compiling plans without touching the disk.
struct FakeFileSystem: FileSystemFacts {
    var kinds: [String: FileKind]
    var texts: [String: String] = [:]

    init(_ kinds: [String: FileKind], texts: [String: String] = [:]) {
        var all = kinds
        for path in kinds.keys {
            for ancestor in PathText.ancestry(PathText.parent(path)) where all[ancestor] == nil { all[ancestor] = .directory }
        }
        self.kinds = all
        self.texts = texts
    }

    func kind(of path: String) -> FileKind? { kinds[path] }
    func entries(of path: String) -> [String]? {
        guard kinds[path] == .directory else { return nil }
        return kinds.keys.filter { PathText.parent($0) == path && $0 != "/" }.map { String($0.split(separator: "/").last!) }.sorted()
    }
    func text(of path: String) -> String? { texts[path] }
}

enum ProfileFixtures {
    static let home = "/home/ada"
    static let workspace = "/home/ada/src/app"

    static let system: [String: FileKind] = [
        "/usr/bin/sh": .regular, "/bin": .symlink("usr/bin"), "/lib": .symlink("usr/lib"), "/lib64": .symlink("usr/lib64"),
        "/etc/hosts": .regular, "/etc/ssl/certs/ca.pem": .regular, "/etc/shadow": .regular, "/etc/localtime": .symlink("/usr/share/zoneinfo/UTC"),
        "/etc/ld.so.cache": .regular, "/dev/null": .other,
    ]

    static let project: [String: FileKind] = [
        "\(workspace)/README.md": .regular, "\(workspace)/src/main.c": .regular,
        "\(workspace)/.git/config": .regular, "\(workspace)/.git/hooks/pre-commit.sample": .regular,
        "\(workspace)/.git/HEAD": .regular, "\(workspace)/.envrc": .regular,
        "\(home)/.ssh/id_ed25519": .regular, "\(home)/.bashrc": .regular, "\(home)/notes/todo.txt": .regular,
    ]

    static let kernel = KernelFeatures(
        landlockABI: 7, seccompFilter: true, seccompUserNotification: true, userNamespaces: true,
        memoryController: CgroupController(version: .v1, parentDirectory: "/sys/fs/cgroup/memory"),
        pidsController: CgroupController(version: .v1, parentDirectory: "/sys/fs/cgroup/pids"))

    static let user = UserIdentity(name: "ada", uid: 1000, gid: 1000, groupName: "ada", home: home, shell: "/bin/bash")

    static func compiler(_ extra: [String: FileKind] = [:], texts: [String: String] = [:], kernel: KernelFeatures = kernel) -> ProfileCompiler {
        let facts = FakeFileSystem(system.merging(project) { a, _ in a }.merging(extra) { _, b in b }, texts: texts)
        return ProfileCompiler(facts: facts, kernel: kernel, cordonDirectories: CordonDirectories(environment: [:], home: home))
    }

    static func profile(_ capabilities: [Capability] = [], terminal: TerminalMode = .inheritedPipes) -> Profile {
        Profile(
            argv: ["sh", "-c", "true"], workspace: workspace, user: user,
            hostEnvironment: ["PATH": "/usr/bin:/bin", "TERM": "xterm", "LC_ALL": "C.UTF-8", "GITHUB_TOKEN": "secret", "SSH_AUTH_SOCK": "/run/agent"],
            capabilities: capabilities, terminal: terminal)
    }
}
