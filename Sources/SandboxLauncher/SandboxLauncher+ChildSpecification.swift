import LinuxSystem
import SandboxPolicy

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension SandboxLauncher {
    /// Translates a plan into the child's terms (staging prefixes, resolved host paths, kernel
    /// bits) and records in `entries` what each layer will enforce. The namespaces, ids and
    /// cgroups come from the plan's shape (`applyShape`), as for a sandbox cloned before it.
    static func childSpecification(
        _ plan: LaunchPlan, entries: inout [EnforcementReport.Entry]
    ) throws(LaunchError) -> ChildSpecification {
        guard let program = plan.argv.first, !program.isEmpty else {
            throw LaunchError(layer: "launch", step: "planCheck", errno: nil, message: "the plan has no program (argv is empty)", remedy: "Name a program to run.")
        }
        var spec = ChildSpecification(argv: plan.argv, environment: plan.environment)
        spec.layers = plan.layers.rawValue
        spec.workingDirectory = plan.workingDirectory
        spec.searchPath = plan.environment.first { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) }

        let view = plan.layers.contains(.view)
        let names: [(Namespaces, String)] = [
            (.user, "user"), (.mount, "mount"), (.pid, "pid"), (.ipc, "ipc"), (.uts, "uts"), (.network, "network"), (.cgroup, "cgroup"),
        ]
        for (namespace, name) in names {
            let on = view && plan.namespaces.contains(namespace)
            entries.append(.init(layer: "namespaces.\(name)", status: on ? .enforced : .off,
                                 detail: on ? "CLONE_NEW\(name == "network" ? "NET" : name == "mount" ? "NS" : name.uppercased())"
                                     : view ? "not in the plan" : "view layer switched off"))
        }
        if view {
            spec.hostname = plan.namespaces.contains(.uts) ? plan.hostname : nil
            if plan.namespaces.contains(.mount) {
                spec.mounts = plan.mounts.map(childMount)
                entries.append(.init(layer: "view", status: .enforced, detail: "pivot_root into a tmpfs root with \(plan.mounts.count) mount steps"))
            } else {
                entries.append(.init(layer: "view", status: .off, detail: "no mount namespace in the plan"))
            }
        } else {
            entries.append(.init(layer: "view", status: .off, detail: "view layer switched off"))
        }

        spec.landlock = try landlock(plan, entries: &entries)

        if plan.layers.contains(.seccomp), !plan.seccomp.isEmpty {
            spec.seccomp = plan.seccomp.map { $0.instructions.map { ChildBPFInstruction(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) } }
            entries.append(.init(layer: "seccomp", status: .enforced, detail: plan.seccomp.map(\.name).joinedText(separator: ", ")))
        } else {
            entries.append(.init(layer: "seccomp", status: .off, detail: plan.layers.contains(.seccomp) ? "no program in the plan" : "seccomp layer switched off"))
        }

        if plan.layers.contains(.process) {
            spec.resourceLimits = plan.resourceLimits.map { ChildResourceLimit(resource: $0.resource, soft: $0.soft, hard: $0.hard) }
            entries.append(.init(layer: "process", status: .enforced,
                                 detail: "no_new_privs, empty capability sets, fds >= 3 closed, no core dumps, \(plan.resourceLimits.count) rlimits"))
        } else {
            entries.append(.init(layer: "process", status: .off, detail: "process layer switched off"))
        }

        switch plan.terminal {
        case .inheritedPipes:
            entries.append(.init(layer: "terminal", status: .enforced, detail: "standard streams inherited; no terminal"))
        case .relayedPseudoTerminal:
            let devpts = plan.mounts.lazy.compactMap { step -> String? in
                if case .devpts(let target) = step { return target }
                return nil
            }.first
            if view && plan.namespaces.contains(.mount) {
                guard let devpts else {
                    throw LaunchError(
                        layer: "terminal", step: "planCheck", errno: nil,
                        message: "a relayed pseudo-terminal needs the sandbox's own devpts, and the plan mounts none",
                        remedy: "Add a devpts mount step and keep the view layer on, or use inherited pipes.")
                }
                spec.pseudoTerminal = join(devpts, "ptmx")
                entries.append(.init(layer: "terminal", status: .enforced, detail: "pseudo-terminal in a new devpts at \(devpts), relayed"))
            } else {
                // Without the view (a layer tested alone) there is no devpts of the sandbox's
                // own; a new pty of the host's is still the program's own, never the person's
                // terminal, which is what matters for TIOCSTI and the terminal's settings.
                spec.pseudoTerminal = "/dev/ptmx"
                entries.append(.init(layer: "terminal", status: .partial, detail: "pseudo-terminal in the host's devpts (view layer off), relayed"))
            }
            spec.terminalStreams = plan.terminalStreams.rawValue
            spec.terminalSize = plan.terminalSize.map { ($0.rows, $0.columns, $0.xPixels, $0.yPixels) }
        }

        spec.listeners = plan.listeners.map { ChildListener(address: $0.address, port: $0.port) }
        if let range = plan.localPortRange, view && plan.namespaces.contains(.network) {
            spec.localPortRange = range.first...range.last
            entries.append(.init(layer: "network.local-ports", status: .enforced,
                                 detail: "ephemeral ports \(range.first)-\(range.last) in the sandbox's network namespace"))
        }
        if !plan.listeners.isEmpty {
            let inside = view && plan.namespaces.contains(.network)
            entries.append(.init(layer: "network.listeners", status: inside ? .enforced : .off,
                                 detail: (inside ? "inside the sandbox's network namespace: " : "in the host's network namespace: ")
                                     + plan.listeners.map { "\($0.address):\($0.port)" }.joinedText(separator: ", ")))
        }
        return spec
    }

    private static func landlock(_ plan: LaunchPlan, entries: inout [EnforcementReport.Entry]) throws(LaunchError) -> ChildLandlock? {
        guard plan.layers.contains(.landlock), let ruleset = plan.landlock else {
            entries.append(.init(layer: "landlock", status: .off,
                                 detail: plan.layers.contains(.landlock) ? "no ruleset in the plan" : "landlock layer switched off"))
            return nil
        }
        let abi: Int
        switch KernelProbe.landlockABI() {
        case .success(let version): abi = version
        case .failure(let errno):
            throw LaunchError(
                layer: "landlock", step: "probe", errno: errno, message: "landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION)",
                remedy: "Enable Landlock (CONFIG_SECURITY_LANDLOCK, 'landlock' in the lsm= boot parameter) or run with explicit best effort.")
        }
        guard abi >= ruleset.minimumABI else {
            throw LaunchError(
                layer: "landlock", step: "probe", errno: nil,
                message: "the plan needs Landlock ABI \(ruleset.minimumABI) and the kernel offers ABI \(abi)",
                remedy: "Run a newer kernel, or recompile the plan for this kernel with explicit best effort.")
        }
        entries.append(.init(layer: "landlock", status: .enforced,
                             detail: "ABI \(abi) (plan needs \(ruleset.minimumABI)), \(ruleset.pathRules.count) path rules, \(ruleset.portRules.count) port rules"))
        // Rule paths are inside the final root, where the child opens them after pivot_root.
        return ChildLandlock(
            abi: abi, handledFilesystem: ruleset.handledFilesystem.rawValue, handledNetwork: ruleset.handledNetwork.rawValue,
            scopes: ruleset.scopes.rawValue, pathRules: ruleset.pathRules.map { ($0.path, $0.access.rawValue) },
            portRules: ruleset.portRules.map { ($0.port, $0.access.rawValue) })
    }

    static func childMount(_ step: MountStep) -> ChildMount {
        let root = ChildSpecification.stagingNewRoot
        let host = ChildSpecification.stagingOldRoot
        switch step {
        case .tmpfs(let target, let mode, let size):
            return .tmpfs(target: join(root, target), options: "mode=0\(String(mode, radix: 8)),size=\(size)")
        case .directory(let target, let mode):
            return .directory(target: join(root, target), mode: mode)
        case .file(let target, let contents, let mode):
            return .file(target: join(root, target), contents: Array(contents.utf8), mode: mode)
        case .symlink(let target, let destination):
            return .symlink(target: join(root, target), destination: destination)
        case .bind(let source, let target, let writable, let executable):
            return .bind(source: join(host, resolved(source)), target: join(root, target), writable: writable, executable: executable)
        case .device(let source, let target):
            return .device(source: join(host, resolved(source)), target: join(root, target))
        case .proc(let target):
            return .proc(target: join(root, target))
        case .devpts(let target):
            let slash = target.lastIndex(of: "/") ?? target.startIndex
            let parent = String(target[..<slash])
            let name = String(target[target.index(after: slash)...])
            return .devpts(target: join(root, target), ptmxLink: join(root, join(parent, "ptmx")), ptmxDestination: name + "/ptmx")
        case .mask(let target):
            return .mask(target: join(root, target))
        case .remountReadOnly(let target):
            return .remountReadOnly(target: join(root, target))
        }
    }

    /// The host path with its symbolic links resolved, because in the child an absolute link
    /// would resolve against the staging root instead of the host's. Unresolvable paths stay as
    /// they are; the child skips a bind whose source is absent.
    private static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// `base` + `/` + `path`, with `/` alone meaning `base`.
    static func join(_ base: String, _ path: String) -> String {
        let trimmed = String(path.drop { $0 == "/" })
        if trimmed.isEmpty { return base.isEmpty ? "/" : base }
        return base.hasSuffix("/") ? base + trimmed : base + "/" + trimmed
    }
}
