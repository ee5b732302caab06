/// The view: what the new root shows, as mount steps, and the grants Landlock mirrors.
extension ProfileCompiler {
    struct View: Sendable {
        var mounts: [MountStep]
        /// How many of `mounts`, the first, are the base view (`baseView(for:)`).
        var baseMountCount: Int
        var grants: [Grant]
        /// Protections that lie inside a grant, with their kind (Landlock keeps them out).
        var guarded: [(path: String, kind: Protection.Kind)]
        var protections: [AppliedProtection]
    }

    /// Read-only, executable system directories (or their usr-merge symbolic links).
    static let systemDirectories = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt"]
    /// The curated `/etc`: what programs need to run, resolve names and speak TLS; never
    /// shadow, gshadow, sudoers or host keys. `passwd` and `group` are synthesized.
    static let etcEntries = [
        "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl", "ca-certificates", "ca-certificates.conf",
        "localtime", "timezone", "hosts", "host.conf", "nsswitch.conf", "resolv.conf", "gai.conf", "services",
        "protocols", "os-release", "mime.types", "bash.bashrc", "inputrc", "terminfo",
    ]
    /// Device nodes bound from the host.
    static let devices = ["null", "zero", "full", "random", "urandom", "tty"]
    /// Directories made in the empty home so that programs can keep caches and settings there.
    static let homeDirectories = [".cache", ".config", ".local", ".local/share", ".local/state"]
    static let tmpfsSize: UInt64 = 1 << 30
    /// `TMPDIR` when the private /tmp holds a grant.
    static let temporaryDirectory = "/tmp/.cordon-tmp"

    /// The view's base: its mount steps and the grants Landlock mirrors.
    struct BaseView: Sendable {
        var mounts: [MountStep]
        var grants: [Grant]
    }

    /// The view's base: the system directories, the curated /etc with the synthesized passwd
    /// and group, /dev, /proc and /tmp. It depends on this machine and the user only, never on
    /// capabilities, so a sandbox can mount it while the rest of the plan is compiled.
    func baseView(for profile: Profile) -> BaseView {
        var mounts: [MountStep] = []
        var grants: [Grant] = []

        for directory in Self.systemDirectories {
            switch facts.kind(of: directory) {
            case .directory:
                mounts.append(.bind(source: directory, target: directory, writable: false, executable: true))
                grants.append(Grant(path: directory, access: [.read, .execute], isDirectory: true, backing: .host))
            case .symlink(let destination):
                mounts.append(.symlink(target: directory, destination: destination))
            default:
                continue
            }
        }

        mounts.append(.directory(target: "/etc", mode: 0o755))
        grants.append(Grant(path: "/etc", access: [.list], isDirectory: true, backing: .synthetic))
        for name in Self.etcEntries {
            let path = "/etc/" + name
            switch facts.kind(of: path) {
            case .symlink(let destination): mounts.append(.symlink(target: path, destination: destination))
            case .directory, .regular:
                mounts.append(.bind(source: path, target: path, writable: false, executable: false))
                grants.append(Grant(path: path, access: [.read], isDirectory: facts.kind(of: path) == .directory, backing: .host))
            default: continue
            }
        }
        let user = profile.user
        mounts.append(.file(target: "/etc/passwd", contents: "\(user.name):x:\(user.uid):\(user.gid)::\(user.home):\(user.shell)\n", mode: 0o644))
        mounts.append(.file(target: "/etc/group", contents: "\(user.groupName):x:\(user.gid):\n", mode: 0o644))
        for path in ["/etc/passwd", "/etc/group"] {
            grants.append(Grant(path: path, access: [.read], isDirectory: false, backing: .synthetic))
        }

        mounts.append(.tmpfs(target: "/dev", mode: 0o755, sizeBytes: 1 << 20))
        for device in Self.devices { mounts.append(.device(source: "/dev/" + device, target: "/dev/" + device)) }
        mounts.append(.devpts(target: "/dev/pts"))
        mounts.append(.tmpfs(target: "/dev/shm", mode: 0o1777, sizeBytes: Self.tmpfsSize))
        for (name, destination) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")] {
            mounts.append(.symlink(target: "/dev/" + name, destination: destination))
        }
        grants.append(Grant(path: "/dev", access: [.read, .write, .devices], isDirectory: true, backing: .synthetic))
        // Same rights as /dev, so that /dev stays one rule (and covers what the devpts step adds).
        grants.append(Grant(path: "/dev/shm", access: [.read, .write, .devices], isDirectory: true, backing: .synthetic))
        mounts.append(.proc(target: "/proc"))
        grants.append(Grant(path: "/proc", access: [.read], isDirectory: true, backing: .synthetic))
        mounts.append(.tmpfs(target: "/tmp", mode: 0o1777, sizeBytes: Self.tmpfsSize))
        grants.append(Grant(path: "/tmp", access: [.read, .write, .execute], isDirectory: true, backing: .synthetic))
        return BaseView(mounts: mounts, grants: grants)
    }

    /// The whole view: `base` and, parents first, the empty home, the grants and the protections.
    func buildView(for profile: Profile, base: BaseView) throws(CapabilityError) -> View {
        var mounts = base.mounts
        var grants = base.grants
        let baseMountCount = mounts.count
        let user = profile.user

        // Mounts that may nest in each other, applied parents first, after the base.
        var layered: [(path: String, step: MountStep)] = []
        var hostGrants = [Grant(path: profile.workspace, access: [.read, .write, .execute], isDirectory: true, backing: .host)]
        for directory in gitDirectories(of: profile.workspace) where !PathText.isWithin(directory, profile.workspace) {
            hostGrants.append(Grant(path: directory, access: [.read, .write], isDirectory: true, backing: .host))
        }
        for capability in profile.capabilities {
            if let grant = try grant(for: capability), !grants.contains(grant), !hostGrants.contains(grant) { hostGrants.append(grant) }
        }
        // The empty home, unless a grant shows the real one (then it is not emptied).
        let home = user.home
        if home != "/" && !Self.isSystemPath(home) && !hostGrants.contains(where: { $0.isDirectory && PathText.isWithin(home, $0.path) }) {
            layered.append((home, .tmpfs(target: home, mode: 0o700, sizeBytes: Self.tmpfsSize)))
            for name in Self.homeDirectories {
                let path = PathText.join(home, name)
                layered.append((path, .directory(target: path, mode: 0o700)))
                grants.append(Grant(path: path, access: [.read, .write, .execute], isDirectory: true, backing: .synthetic))
            }
            grants.append(Grant(path: home, access: [.read, .write, .execute], isDirectory: true, backing: .synthetic))
        }
        // A host grant beneath the private /tmp may make /tmp a level (see the Landlock plan),
        // where nothing can be created directly: programs then get a directory of their own
        // through TMPDIR.
        if hostGrants.contains(where: { PathText.isStrictlyWithin($0.path, "/tmp") }) {
            layered.append((Self.temporaryDirectory, .directory(target: Self.temporaryDirectory, mode: 0o1777)))
            grants.append(Grant(path: Self.temporaryDirectory, access: [.read, .write, .execute], isDirectory: true, backing: .synthetic))
        }
        for grant in hostGrants {
            layered.append((grant.path, .bind(source: grant.path, target: grant.path, writable: grant.access.contains(.write), executable: grant.access.contains(.execute))))
        }
        grants += hostGrants

        let (guarded, protectionSteps, applied) = try protections(for: profile, grants: grants)
        layered += protectionSteps
        mounts += Self.parentsFirst(layered)
        mounts.append(.remountReadOnly(target: "/"))
        return View(mounts: mounts, baseMountCount: baseMountCount, grants: grants, guarded: guarded, protections: applied)
    }

    /// Stable order by depth, so a directory is mounted before what is bound inside it.
    static func parentsFirst(_ steps: [(path: String, step: MountStep)]) -> [MountStep] {
        steps.enumerated()
            .sorted { (PathText.depth($0.element.path), $0.offset) < (PathText.depth($1.element.path), $1.offset) }
            .map(\.element.step)
    }

    /// Directories that hold the system or that Cordon makes itself, where a home directory
    /// cannot be emptied.
    static func isSystemPath(_ path: String) -> Bool {
        ["/usr", "/etc", "/dev", "/proc", "/bin", "/sbin", "/lib", "/opt"].contains { PathText.isWithin(path, $0) } || path == "/tmp"
    }

    private func grant(for capability: Capability) throws(CapabilityError) -> Grant? {
        guard let path = capability.path else { return nil }
        let text = capability.description
        let kind = facts.kind(of: path)
        func require(_ expected: FileKind, _ noun: String) throws(CapabilityError) {
            guard kind == expected else { throw Self.wrongKind(text, path, kind, expected: noun) }
        }
        // Host files below /tmp are bound into the private /tmp; /tmp itself, /dev and /proc
        // are made fresh for every session.
        guard path != "/tmp", !["/dev", "/proc"].contains(where: { PathText.isWithin(path, $0) }) else {
            throw .path(operation: "grant \(text)", path: path, reason: "Cordon makes /tmp, /dev and /proc fresh for every session",
                        remedy: "the default view already offers what programs need there; name a file or directory inside them, or elsewhere")
        }
        switch capability {
        case .readFile:
            try require(.regular, "a regular file")
            return Grant(path: path, access: [.read], isDirectory: false, backing: .host)
        case .readDirectory:
            try require(.directory, "a directory")
            return Grant(path: path, access: [.read], isDirectory: true, backing: .host)
        case .writeFile:
            try require(.regular, "a regular file")
            return Grant(path: path, access: [.read, .write], isDirectory: false, backing: .host)
        case .writeDirectory:
            try require(.directory, "a directory")
            return Grant(path: path, access: [.read, .write], isDirectory: true, backing: .host)
        case .execute:
            guard kind == .regular || kind == .directory else { throw Self.wrongKind(text, path, kind, expected: "a file or directory") }
            return Grant(path: path, access: [.read, .execute], isDirectory: kind == .directory, backing: .host)
        case .unixSocket:
            try require(.socket, "a unix socket")
            // Connecting needs write permission on the inode, which a read-only mount keeps
            // (the read-only check applies to regular files, directories and links only).
            return Grant(path: path, access: [.read], isDirectory: false, backing: .host)
        case .network, .environment, .clipboard:
            return nil
        }
    }

    static func wrongKind(_ text: String, _ path: String, _ kind: FileKind?, expected: String) -> CapabilityError {
        let found: String
        switch kind {
        case nil: found = "nothing is there"
        case .directory: found = "it is a directory"
        case .regular: found = "it is a regular file"
        case .symlink(let destination): found = "it is a symbolic link to \(destination)"
        case .socket: found = "it is a socket"
        case .other: found = "it is a device or pipe"
        }
        return .path(operation: "grant \(text)", path: path, reason: "expected \(expected), but \(found)",
                     remedy: kind.map { if case .symlink = $0 { return "name the link's target" } else { return "use the capability kind that matches (read-file:, read-dir:, ...)" } } ?? "create it first, or fix the path")
    }
}
