/// The Landlock ruleset mirroring the view.
///
/// Landlock has no deny rules: a right granted on a directory holds for everything beneath it.
/// So where a protected path lies inside a grant, the directories on the way to it ("levels")
/// are granted only the rights to look (no creating, removing or renaming entries, no reading
/// files when a secret is beneath), and every other entry of a level is granted the full rights
/// on its own. The cost: nothing can be created, removed or renamed directly in a level (new
/// files go into its existing subdirectories); `cordon doctor` lists the protections and the
/// README says which directories become levels.
extension ProfileCompiler {
    func landlockPlan(for view: View) -> LandlockPlan {
        let abi = min(kernel.landlockABI ?? 1, Self.highestLandlockABI)
        let handled = Self.handledRights(abi: abi)
        var rules: [LandlockPathRule] = []
        var index: [String: Int] = [:]
        func add(_ path: String, _ rights: LandlockFilesystemAccess) {
            let effective = rights.intersection(handled)
            guard !effective.isEmpty else { return }
            if let existing = index[path] {
                rules[existing].access.formUnion(effective)
            } else {
                index[path] = rules.count
                rules.append(LandlockPathRule(path: path, access: effective))
            }
        }
        let restricted = Set(view.grants.filter { grant in view.guarded.contains { PathText.isStrictlyWithin($0.path, grant.path) } }.map(\.path))
        for grant in view.grants {
            guard grant.isDirectory else {
                add(grant.path, Grant.landlockRights(grant.access, directory: false))
                continue
            }
            let nested = Set(view.grants.filter {
                PathText.isStrictlyWithin($0.path, grant.path) && ($0.access != grant.access || restricted.contains($0.path))
            }.map(\.path))
            let guarded = view.guarded.filter { point in
                PathText.isStrictlyWithin(point.path, grant.path) && !nested.contains { PathText.isWithin(point.path, $0) }
            }
            emit(grant.path, directory: true, grant: grant, nested: nested, guarded: guarded, view: view, add: add)
        }
        return LandlockPlan(
            minimumABI: abi, handledFilesystem: handled, handledNetwork: [],
            scopes: abi >= 6 ? [.abstractUnixSocket, .signal] : [], pathRules: rules, portRules: [])
    }

    /// Every file system right the given ABI knows: all of them are handled, so none is
    /// allowed by omission.
    static func handledRights(abi: Int) -> LandlockFilesystemAccess {
        var rights = LandlockFilesystemAccess(rawValue: (1 << 13) - 1)
        if abi >= 2 { rights.insert(.refer) }
        if abi >= 3 { rights.insert(.truncate) }
        if abi >= 5 { rights.insert(.ioctlDev) }
        return rights
    }

    private func emit(
        _ path: String, directory: Bool, grant: Grant, nested: Set<String>, guarded: [(path: String, kind: Protection.Kind)],
        view: View, add: (String, LandlockFilesystemAccess) -> Void
    ) {
        if nested.contains(path) { return }
        if let point = guarded.first(where: { $0.path == path }) {
            if point.kind == .persistence {
                add(path, Grant.landlockRights(grant.access.intersection([.read, .execute]), directory: directory))
            }
            return
        }
        let below = guarded.filter { PathText.isStrictlyWithin($0.path, path) }.map(\.kind)
            + nested.filter { PathText.isStrictlyWithin($0, path) }.map { _ in Protection.Kind.persistence }
        guard directory, !below.isEmpty else {
            add(path, Grant.landlockRights(grant.access, directory: directory))
            return
        }
        let secretBelow = below.contains { $0 != .persistence }
        let level: Grant.Access = secretBelow ? (grant.access.isDisjoint(with: [.read, .list]) ? [] : [.list]) : grant.access.intersection([.read, .list, .execute])
        add(path, Grant.landlockRights(level, directory: true))
        for (name, isDirectory) in children(of: path, view: view) {
            emit(PathText.join(path, name), directory: isDirectory, grant: grant, nested: nested, guarded: guarded, view: view, add: add)
        }
    }

    /// Entries of `directory` in the new root: the host's when a host grant shows it, else
    /// those Cordon creates. Symbolic links are left out: access through one is checked at
    /// its target.
    private func children(of directory: String, view: View) -> [(String, Bool)] {
        if view.grants.contains(where: { $0.backing == .host && PathText.isWithin(directory, $0.path) }) {
            return (facts.entries(of: directory) ?? []).sorted().compactMap { name in
                switch facts.kind(of: PathText.join(directory, name)) {
                case .directory: return (name, true)
                case .regular, .socket, .other: return (name, false)
                case .symlink, nil: return nil
                }
            }
        }
        var result: [String: Bool] = [:]
        for step in view.mounts {
            guard let target = step.targetPath, PathText.isStrictlyWithin(target, directory) else { continue }
            let rest = target.dropFirst(directory == "/" ? 1 : directory.count + 1)
            let name = String(rest.prefix { $0 != "/" })
            if rest.contains("/") {
                result[name] = true
            } else if result[name] == nil, let isDirectory = step.createsDirectory(facts: facts) {
                result[name] = isDirectory
            }
        }
        return result.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension MountStep {
    /// The path in the new root this step creates or covers.
    var targetPath: String? {
        switch self {
        case .tmpfs(let target, _, _), .directory(let target, _), .file(let target, _, _), .symlink(let target, _),
             .bind(_, let target, _, _), .device(_, let target), .proc(let target), .devpts(let target), .mask(let target):
            return target
        case .remountReadOnly:
            return nil
        }
    }

    /// Whether the step leaves a directory at its target (`nil` for a symbolic link).
    func createsDirectory(facts: any FileSystemFacts) -> Bool? {
        switch self {
        case .tmpfs, .directory, .proc, .devpts: return true
        case .file, .device: return false
        case .symlink, .remountReadOnly: return nil
        case .bind(let source, _, _, _): return facts.kind(of: source) == .directory
        case .mask(let target): return facts.kind(of: target) == .directory
        }
    }
}
