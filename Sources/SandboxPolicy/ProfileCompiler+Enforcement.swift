/// Which layers this kernel can carry, as a report, and the error when one is missing.
extension ProfileCompiler {
    /// The report `run` would produce and the layers the plan turns on.
    func enforcement(for profile: Profile) throws(CapabilityError) -> (EnforcementReport, Layers) {
        var entries: [EnforcementReport.Entry] = []
        var layers = profile.layers
        func missing(_ layer: Layers, _ id: String, feature: String, remedy: String) throws(CapabilityError) {
            guard profile.layers.contains(layer) else { return }
            guard profile.bestEffort else { throw .layerUnavailable(layer: id, feature: feature, remedy: remedy) }
            layers.remove(layer)
            entries.append(.init(layer: id, status: .off, detail: "\(feature) unavailable (best effort); \(remedy)"))
        }
        func requested(_ layer: Layers, _ id: String) -> Bool {
            if profile.layers.contains(layer) { return true }
            entries.append(.init(layer: id, status: .off, detail: "switched off for this run"))
            return false
        }

        if requested(.view, "view") {
            if kernel.userNamespaces {
                entries.append(.init(layer: "view", status: .enforced, detail: "user, mount, pid, ipc, uts, net and cgroup namespaces; tmpfs root with read-only binds, fresh /proc, minimal /dev, private /tmp and home"))
            } else {
                try missing(.view, "view", feature: "user namespaces" + note("namespaces.user"),
                            remedy: "set user.max_user_namespaces above 0 (and kernel.apparmor_restrict_unprivileged_userns=0 where AppArmor restricts them)")
            }
        }
        if requested(.landlock, "landlock") {
            if let abi = kernel.landlockABI {
                let target = min(abi, Self.highestLandlockABI)
                var missingRights: [String] = []
                if target < 2 { missingRights.append("refer (ABI 2)") }
                if target < 3 { missingRights.append("truncate (ABI 3)") }
                if target < 5 { missingRights.append("device ioctl (ABI 5)") }
                if target < 6 { missingRights.append("abstract unix socket and signal scopes (ABI 6)") }
                entries.append(missingRights.isEmpty
                    ? .init(layer: "landlock", status: .enforced, detail: "ABI \(target): file system rules mirroring the view, abstract unix socket and signal scopes")
                    : .init(layer: "landlock", status: .partial, detail: "ABI \(target) lacks \(missingRights.joinedText(separator: ", ")); a newer kernel adds them"))
            } else {
                try missing(.landlock, "landlock", feature: "Landlock" + note("landlock"),
                            remedy: "boot a kernel ≥ 5.13 with landlock in the lsm= list (CONFIG_SECURITY_LANDLOCK=y)")
            }
        }
        if requested(.seccomp, "seccomp") {
            if kernel.seccompFilter {
                entries.append(.init(layer: "seccomp", status: .enforced, detail: "allow-list program (x86_64 only; i386 and x32 entry kill the process)"))
                if let user = profile.seccompProfile {
                    entries.append(.init(layer: "seccomp.profile", status: .enforced, detail: "\(user.name), installed second: narrows only"))
                }
            } else {
                try missing(.seccomp, "seccomp", feature: "seccomp filters" + note("seccomp"), remedy: "use a kernel built with CONFIG_SECCOMP_FILTER=y")
            }
        }
        if requested(.process, "process") {
            entries.append(.init(layer: "process", status: .enforced, detail: "no_new_privs, empty capability sets, descriptors ≥ 3 closed, dies with Cordon, no core dumps"))
            if let pids = kernel.pidsController {
                entries.append(.init(layer: "cgroup.pids", status: .enforced, detail: "at most \(profile.processLimit ?? Profile.defaultProcessLimit) processes (cgroup \(pids.version.rawValue)), and RLIMIT_NPROC"))
            } else {
                entries.append(.init(layer: "cgroup.pids", status: .partial, detail: "no pids controller Cordon may use\(note("cgroup.pids")); RLIMIT_NPROC \(profile.processLimit ?? Profile.defaultProcessLimit) in the user namespace still stops a fork bomb; delegate a cgroup subtree to add the cgroup limit"))
            }
            if let memory = kernel.memoryController {
                entries.append(.init(layer: "cgroup.memory", status: .enforced, detail: "at most \(Self.formatBytes(profile.memoryLimit ?? Profile.defaultMemoryLimit)) (cgroup \(memory.version.rawValue))"))
            } else if profile.memoryLimit != nil && !profile.bestEffort {
                throw .layerUnavailable(layer: "cgroup.memory", feature: "a memory cgroup controller Cordon may use" + note("cgroup.memory"),
                                        remedy: "run as root or inside a delegated cgroup (systemd-run --user --scope -p Delegate=yes), or drop --memory")
            } else {
                entries.append(.init(layer: "cgroup.memory", status: .off, detail: "no memory controller Cordon may use\(note("cgroup.memory")); delegate a cgroup subtree (systemd-run --user --scope -p Delegate=yes)"))
            }
        }
        entries.append(profile.terminal == .relayedPseudoTerminal
            ? .init(layer: "terminal", status: .enforced, detail: "own pseudo-terminal in a new devpts, relayed; OSC 52 clipboard writes \(profile.capabilities.contains(.clipboard(.write)) ? "passed (clipboard:write)" : "filtered")")
            : .init(layer: "terminal", status: .enforced, detail: "no terminal: standard streams are pipes or files"))
        entries.append(.init(layer: "network", status: .enforced, detail: layers.contains(.view) ? "private network namespace with loopback only" : "host network (view off)"))
        if !layers.contains(.view) { entries[entries.count - 1].status = .off }
        return (EnforcementReport(entries: entries), layers)
    }

    /// The newest Landlock ABI whose rights Cordon knows.
    static let highestLandlockABI = 7

    private func note(_ key: String) -> String {
        kernel.notes[key].map { " (\($0))" } ?? ""
    }

    static func formatBytes(_ bytes: UInt64) -> String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        return "\(bytes) bytes"
    }
}
