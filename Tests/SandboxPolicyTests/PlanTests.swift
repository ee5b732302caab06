import Testing
@testable import SandboxPolicy

@Suite struct PlanTests {
    func compile(_ capabilities: [Capability] = [], extra: [String: FileKind] = [:], texts: [String: String] = [:]) throws -> ProfileCompiler.Output {
        try ProfileFixtures.compiler(extra, texts: texts).compile(ProfileFixtures.profile(capabilities))
    }

    @Test func defaultViewInOrder() throws {
        let h = ProfileFixtures.home
        let w = ProfileFixtures.workspace
        let plan = try compile().plan
        let expected: [MountStep] = [
            .bind(source: "/usr", target: "/usr", writable: false, executable: true),
            .symlink(target: "/bin", destination: "usr/bin"),
            .symlink(target: "/lib", destination: "usr/lib"),
            .symlink(target: "/lib64", destination: "usr/lib64"),
            .directory(target: "/etc", mode: 0o755),
            .bind(source: "/etc/ld.so.cache", target: "/etc/ld.so.cache", writable: false, executable: false),
            .bind(source: "/etc/ssl", target: "/etc/ssl", writable: false, executable: false),
            .symlink(target: "/etc/localtime", destination: "/usr/share/zoneinfo/UTC"),
            .bind(source: "/etc/hosts", target: "/etc/hosts", writable: false, executable: false),
            .file(target: "/etc/passwd", contents: "ada:x:1000:1000::/home/ada:/bin/bash\n", mode: 0o644),
            .file(target: "/etc/group", contents: "ada:x:1000:\n", mode: 0o644),
            .tmpfs(target: "/dev", mode: 0o755, sizeBytes: 1 << 20),
            .device(source: "/dev/null", target: "/dev/null"), .device(source: "/dev/zero", target: "/dev/zero"),
            .device(source: "/dev/full", target: "/dev/full"), .device(source: "/dev/random", target: "/dev/random"),
            .device(source: "/dev/urandom", target: "/dev/urandom"), .device(source: "/dev/tty", target: "/dev/tty"),
            .devpts(target: "/dev/pts"),
            .tmpfs(target: "/dev/shm", mode: 0o1777, sizeBytes: 1 << 30),
            .symlink(target: "/dev/fd", destination: "/proc/self/fd"), .symlink(target: "/dev/stdin", destination: "/proc/self/fd/0"),
            .symlink(target: "/dev/stdout", destination: "/proc/self/fd/1"), .symlink(target: "/dev/stderr", destination: "/proc/self/fd/2"),
            .proc(target: "/proc"),
            .tmpfs(target: "/tmp", mode: 0o1777, sizeBytes: 1 << 30),
            // Parents first: the empty home, what Cordon makes in it, then the workspace and
            // the protections inside it.
            .tmpfs(target: h, mode: 0o700, sizeBytes: 1 << 30),
            .directory(target: "\(h)/.cache", mode: 0o700), .directory(target: "\(h)/.config", mode: 0o700),
            .directory(target: "\(h)/.local", mode: 0o700),
            .directory(target: "\(h)/.local/share", mode: 0o700), .directory(target: "\(h)/.local/state", mode: 0o700),
            .bind(source: w, target: w, writable: true, executable: true),
            .bind(source: "\(w)/.envrc", target: "\(w)/.envrc", writable: false, executable: false),
            .bind(source: "\(w)/.git/hooks", target: "\(w)/.git/hooks", writable: false, executable: true),
            .bind(source: "\(w)/.git/config", target: "\(w)/.git/config", writable: false, executable: false),
            .remountReadOnly(target: "/"),
        ]
        #expect(plan.mounts == expected)
        // The base, which a sandbox cloned from the shape mounts early, ends with /tmp.
        #expect(plan.baseMountCount == expected.firstIndex(of: .tmpfs(target: "/tmp", mode: 0o1777, sizeBytes: 1 << 30)).map { $0 + 1 })
        #expect(plan.namespaces == .all)
        #expect(plan.workingDirectory == w)
        #expect(plan.idMapping == IDMapping(insideUID: 1000, outsideUID: 1000, insideGID: 1000, outsideGID: 1000))
        #expect(plan.resourceLimits.map(\.resource) == [4, 6])
        #expect(plan.cgroupLimits == CgroupLimits(memoryBytes: Profile.defaultMemoryLimit, maxProcesses: Profile.defaultProcessLimit))
        #expect(plan.seccomp.count == 1)
    }

    @Test("the shape known before compiling is the compiled plan's, its base view included, whatever the grants")
    func shapeBeforeCompiling() throws {
        let h = ProfileFixtures.home
        for capabilities: [Capability] in [[], [.writeDirectory(h)], [.readFile("/tmp/notes")]] {
            let profile = ProfileFixtures.profile(capabilities)
            let compiler = ProfileFixtures.compiler(["/tmp/notes": .regular])
            let shape = try compiler.outline(for: profile).shape
            let plan = try compiler.compile(profile).plan
            #expect(shape == plan.shape)
            #expect(!shape.baseMounts.isEmpty)
        }
    }

    @Test func environmentIsAnAllowListPlusGrants() throws {
        #expect(try compile().plan.environment == [
            "HOME=/home/ada", "LC_ALL=C.UTF-8", "LOGNAME=ada", "PATH=/usr/bin:/bin", "SHELL=/bin/bash", "TERM=xterm", "USER=ada",
        ])
        #expect(try compile([.environment("GITHUB_TOKEN"), .environment("UNSET")]).plan.environment.contains("GITHUB_TOKEN=secret"))
    }

    @Test func secretsInsideAGrantedHomeAreMaskedAndNotCreatable() throws {
        let h = ProfileFixtures.home
        let output = try compile([.writeDirectory(h)])
        #expect(output.plan.mounts.contains(.mask(target: "\(h)/.ssh")))
        #expect(output.plan.mounts.contains(.bind(source: "\(h)/.bashrc", target: "\(h)/.bashrc", writable: false, executable: false)))
        let mechanisms = Dictionary(uniqueKeysWithValues: output.protections.map { ($0.path, $0.mechanism) })
        #expect(mechanisms["\(h)/.ssh"] == .masked)
        #expect(mechanisms["\(h)/.aws"] == .notCreatable)
        #expect(mechanisms["\(h)/.bashrc"] == .readOnly)
        let rules = Dictionary(uniqueKeysWithValues: try #require(output.plan.landlock).pathRules.map { ($0.path, $0.access) })
        // The home level: listing only (a secret is beneath), no creating, no reading files.
        #expect(rules[h] == [.readDir])
        #expect(rules["\(h)/.ssh"] == nil)
        #expect(rules["\(h)/.bashrc"] == [.readFile])
        #expect(rules["\(h)/notes"]?.contains([.makeReg, .writeFile, .readFile]) == true)
    }

    @Test func workspaceLevelsKeepProtectedNamesUncreatable() throws {
        let w = ProfileFixtures.workspace
        let plan = try compile().plan
        let landlock = try #require(plan.landlock)
        let rules = Dictionary(uniqueKeysWithValues: landlock.pathRules.map { ($0.path, $0.access) })
        // .mcp.json, .vscode and .idea do not exist: the workspace level cannot create entries.
        #expect(rules[w] == [.readFile, .readDir, .execute])
        #expect(rules["\(w)/src"] == Grant.landlockRights([.read, .write, .execute], directory: true))
        #expect(rules["\(w)/README.md"] == [.readFile, .writeFile, .truncate, .execute])
        #expect(rules["\(w)/.envrc"] == [.readFile, .execute])
        // .git keeps its make rights: git writes lock files there; hooks and config are
        // read-only binds in the view.
        #expect(rules["\(w)/.git"] == Grant.landlockRights([.read, .write, .execute], directory: true))
        #expect(landlock.minimumABI == 7)
        #expect(landlock.scopes == [.abstractUnixSocket, .signal])
        #expect(rules["/proc"] == [.readFile, .readDir])
        #expect(rules["/etc"] == [.readDir])
        #expect(rules["/etc/hosts"] == [.readFile])
        #expect(rules["/etc/shadow"] == nil)
        // The empty home is a level too, because the restricted workspace lies beneath it.
        #expect(rules[ProfileFixtures.home] == [.readFile, .readDir, .execute])
        #expect(rules["\(ProfileFixtures.home)/.cache"] == Grant.landlockRights([.read, .write, .execute], directory: true))
    }

    @Test func worktreeGitDirectoryOutsideTheWorkspaceIsGrantedAndProtected() throws {
        let w = ProfileFixtures.workspace
        let main = "/home/ada/src/main/.git"
        let output = try compile(
            extra: ["\(w)/.git": .regular, "\(main)/worktrees/app/commondir": .regular, "\(main)/config": .regular, "\(main)/hooks/x": .regular],
            texts: ["\(w)/.git": "gitdir: /home/ada/src/main/.git/worktrees/app\n", "\(main)/worktrees/app/commondir": "../..\n"])
        let mounts = output.plan.mounts
        #expect(mounts.contains(.bind(source: main, target: main, writable: true, executable: false)))
        #expect(mounts.contains(.bind(source: "\(main)/config", target: "\(main)/config", writable: false, executable: false)))
        #expect(mounts.contains(.bind(source: "\(main)/hooks", target: "\(main)/hooks", writable: false, executable: false)))
        #expect(!mounts.contains { if case .bind(let s, _, _, _) = $0 { return s == "\(main)/worktrees/app" } else { return false } })
    }

    @Test func nestedRepositoriesAreProtectedToo() throws {
        let nested = "\(ProfileFixtures.workspace)/vendor/lib"
        let output = try compile(extra: ["\(nested)/.git/config": .regular])
        #expect(output.plan.mounts.contains(.bind(source: "\(nested)/.git/config", target: "\(nested)/.git/config", writable: false, executable: false)))
        #expect(output.protections.contains { $0.path == "\(nested)/.mcp.json" && $0.mechanism == .notCreatable })
    }

    @Test func cordonOwnDirectoriesAreNeverReachable() throws {
        let state = "\(ProfileFixtures.home)/.local/state/cordon"
        let output = try compile([.writeDirectory("\(ProfileFixtures.home)/.local")], extra: ["\(state)/audit.log": .regular])
        #expect(output.plan.mounts.contains(.mask(target: state)))
        let rules = try #require(output.plan.landlock).pathRules
        #expect(!rules.contains { PathText.isWithin($0.path, state) })
    }

    @Test func namingAProtectedPathLiftsItsProtection() throws {
        let ssh = "\(ProfileFixtures.home)/.ssh"
        let output = try compile([.writeDirectory(ProfileFixtures.home), .readDirectory(ssh)])
        #expect(!output.plan.mounts.contains(.mask(target: ssh)))
        #expect(output.plan.mounts.contains(.bind(source: ssh, target: ssh, writable: false, executable: false)))
        #expect(throws: CapabilityError.self) {
            try compile([.writeDirectory(ProfileFixtures.home), .readFile("\(ssh)/id_ed25519")])
        }
    }

    @Test func missingLayersFailClosedUnlessBestEffort() throws {
        var kernel = ProfileFixtures.kernel
        kernel.landlockABI = nil
        kernel.notes = ["landlock": "not in lsm="]
        let compiler = ProfileFixtures.compiler(kernel: kernel)
        #expect {
            try compiler.compile(ProfileFixtures.profile())
        } throws: { error in
            "\(error)".contains("landlock") && "\(error)".contains("not in lsm=") && "\(error)".contains("--best-effort")
        }
        var profile = ProfileFixtures.profile()
        profile.bestEffort = true
        let output = try compiler.compile(profile)
        #expect(output.plan.landlock == nil)
        #expect(!output.plan.layers.contains(.landlock))
        #expect(output.report.weakened.map(\.layer).contains("landlock"))

        kernel = ProfileFixtures.kernel
        kernel.landlockABI = 5
        kernel.memoryController = nil
        let older = try ProfileFixtures.compiler(kernel: kernel).compile(ProfileFixtures.profile())
        #expect(older.plan.landlock?.minimumABI == 5)
        #expect(older.plan.landlock?.scopes == [])
        #expect(older.report.weakened.map(\.layer) == ["landlock", "cgroup.memory"])
        #expect(older.plan.cgroupLimits.memoryBytes == nil)
        var wantsMemory = ProfileFixtures.profile()
        wantsMemory.memoryLimit = 1 << 30
        #expect(throws: CapabilityError.self) { try ProfileFixtures.compiler(kernel: kernel).compile(wantsMemory) }
    }

    @Test func landlockAloneCoversOnlyTheHostsOwnFiles() throws {
        var profile = ProfileFixtures.profile()
        profile.layers = [.landlock, .process]
        let plan = try ProfileFixtures.compiler().compile(profile).plan
        #expect(plan.mounts.isEmpty)
        let paths = Set(try #require(plan.landlock).pathRules.map(\.path))
        #expect(!paths.contains(ProfileFixtures.home))
        #expect(!paths.contains("/tmp"))
        #expect(!paths.contains("/dev"))
        #expect(paths.isSuperset(of: ["/dev/null", "/usr", "/proc", ProfileFixtures.workspace + "/src"]))
    }

    @Test func oneLayerAloneLeavesTheOthersOut() throws {
        var profile = ProfileFixtures.profile()
        profile.layers = .seccomp
        let plan = try ProfileFixtures.compiler().compile(profile).plan
        #expect(plan.mounts.isEmpty)
        #expect(plan.landlock == nil)
        #expect(plan.seccomp.count == 1)
        #expect(plan.resourceLimits.isEmpty)
    }
}
