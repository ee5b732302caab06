/// The mandatory protections of one session: where they apply and how each is held.
extension ProfileCompiler {
    /// Nested repositories are looked for this deep under the workspace, in at most this many
    /// directories: a bound on launch time in huge trees (what lies deeper is still protected
    /// by the view when it is a repository of the workspace itself).
    static let repositorySearchDepth = 4
    static let repositorySearchBudget = 4000

    func protections(for profile: Profile, grants: [Grant]) throws(CapabilityError)
        -> (guarded: [(path: String, kind: Protection.Kind)], steps: [(path: String, step: MountStep)], applied: [AppliedProtection])
    {
        let named = Set(profile.capabilities.compactMap(\.path))
        let hostDirectories = grants.filter { $0.backing == .host && $0.isDirectory }
        var guarded: [(path: String, kind: Protection.Kind)] = []
        var steps: [(path: String, step: MountStep)] = []
        var applied: [AppliedProtection] = []
        var seen: Set<String> = []

        for (path, kind, reason, inGitDirectory) in concreteProtections(for: profile) where seen.insert(path).inserted {
            if named.contains(path) { continue }
            guard let grant = hostDirectories.last(where: { PathText.isStrictlyWithin(path, $0.path) }) else {
                applied.append(AppliedProtection(path: path, kind: kind, mechanism: .outsideView, reason: reason))
                continue
            }
            if let inner = named.first(where: { PathText.isStrictlyWithin($0, path) }) {
                throw .path(operation: "grant \(inner)", path: path,
                            reason: "it lies in protected \(path) (\(reason)), which is inside the granted \(grant.path)",
                            remedy: "grant \(path) itself, or do not grant \(grant.path)")
            }
            switch facts.kind(of: path) {
            case nil:
                guarded.append((path, kind))
                applied.append(AppliedProtection(path: path, kind: kind, mechanism: .notCreatable, reason: reason))
            case .symlink:
                // A mount would land on the link's target; holding the directory level keeps
                // the link from being replaced.
                guarded.append((path, kind))
                applied.append(AppliedProtection(path: path, kind: kind, mechanism: .notCreatable, reason: reason))
            case .directory, .regular, .socket, .other:
                if kind == .persistence {
                    let executable = grant.access.contains(.execute) && facts.kind(of: path) == .directory
                    steps.append((path, .bind(source: path, target: path, writable: false, executable: executable)))
                    // Inside .git the view alone holds existing files: git must keep creating
                    // its lock files there.
                    if !inGitDirectory { guarded.append((path, kind)) }
                    applied.append(AppliedProtection(path: path, kind: kind, mechanism: .readOnly, reason: reason))
                } else {
                    steps.append((path, .mask(target: path)))
                    guarded.append((path, kind))
                    applied.append(AppliedProtection(path: path, kind: kind, mechanism: .masked, reason: reason))
                }
            }
        }
        return (guarded, steps, applied)
    }

    private func concreteProtections(for profile: Profile) -> [(String, Protection.Kind, String, Bool)] {
        var result: [(String, Protection.Kind, String, Bool)] = []
        let repositories = self.repositories(of: profile.workspace)
        for protection in Protection.mandatory {
            let pattern = protection.pattern
            if pattern.hasPrefix("~/") {
                result.append((PathText.join(profile.user.home, String(pattern.dropFirst(2))), protection.kind, protection.reason, false))
            } else if pattern.hasPrefix("{repo}/") {
                let rest = String(pattern.dropFirst("{repo}/".count))
                for repository in repositories {
                    if rest.hasPrefix(".git/") {
                        let inner = String(rest.dropFirst(".git/".count))
                        result.append((PathText.join(repository.commonDirectory, inner), protection.kind, protection.reason, true))
                    } else if PathText.isWithin(repository.root, profile.workspace) {
                        result.append((PathText.join(repository.root, rest), protection.kind, protection.reason, false))
                    }
                }
                // Editors and direnv read these in any directory they open, repository or not.
                if !rest.hasPrefix(".git/") && !repositories.contains(where: { $0.root == profile.workspace }) {
                    result.append((PathText.join(profile.workspace, rest), protection.kind, protection.reason, false))
                }
            } else {
                let directory: String
                switch pattern {
                case "{state}": directory = cordonDirectories.state
                case "{config}": directory = cordonDirectories.config
                default: directory = cordonDirectories.runtime
                }
                result.append((directory, protection.kind, protection.reason, false))
            }
        }
        for path in cordonDirectories.additional {
            result.append((path, .cordon, "Cordon's audit log or signing key", false))
        }
        return result
    }

    struct Repository: Equatable {
        var root: String
        /// The directory holding `objects`, `refs`, `hooks` and `config` (a worktree's and a
        /// submodule's are elsewhere).
        var commonDirectory: String
        /// The per-worktree git directory (equal to `commonDirectory` for a plain repository).
        var gitDirectory: String
    }

    /// Git directories outside the workspace that git needs: a worktree's or submodule's, or
    /// that of a repository the workspace is a subdirectory of.
    func gitDirectories(of workspace: String) -> [String] {
        var directories: [String] = []
        for repository in repositories(of: workspace) where !PathText.isWithin(repository.gitDirectory, workspace) {
            directories.append(repository.gitDirectory)
            if repository.commonDirectory != repository.gitDirectory { directories.append(repository.commonDirectory) }
        }
        return directories.filter { candidate in !directories.contains { $0 != candidate && PathText.isStrictlyWithin(candidate, $0) } }
    }

    /// The repository the workspace is in (its root may be an ancestor) and those nested in it.
    func repositories(of workspace: String) -> [Repository] {
        var found: [Repository] = []
        if let own = repository(at: workspace) {
            found.append(own)
        } else {
            for ancestor in PathText.ancestry(PathText.parent(workspace)).reversed() {
                if let enclosing = repository(at: ancestor) {
                    found.append(enclosing)
                    break
                }
            }
        }
        var queue: [(String, Int)] = [(workspace, 0)]
        var visited = 0
        while !queue.isEmpty, visited < Self.repositorySearchBudget {
            let (directory, depth) = queue.removeFirst()
            visited += 1
            guard depth < Self.repositorySearchDepth, let names = facts.entries(of: directory) else { continue }
            for name in names.sorted() where name != ".git" && name != "node_modules" {
                let child = PathText.join(directory, name)
                guard facts.kind(of: child) == .directory else { continue }
                if let nested = repository(at: child) { found.append(nested) }
                queue.append((child, depth + 1))
            }
        }
        return found
    }

    private func repository(at root: String) -> Repository? {
        let dotGit = PathText.join(root, ".git")
        switch facts.kind(of: dotGit) {
        case .directory:
            return Repository(root: root, commonDirectory: dotGit, gitDirectory: dotGit)
        case .regular:
            guard let text = facts.text(of: dotGit), text.hasPrefix("gitdir:") else { return nil }
            let target = text.dropFirst("gitdir:".count).trimmed(of: " \n\r\t")
            guard let gitDirectory = PathText.resolve(target, against: root) else { return nil }
            var common = gitDirectory
            if let commonText = facts.text(of: PathText.join(gitDirectory, "commondir")),
               let resolved = PathText.resolve(commonText.trimmed(of: " \n\r\t"), against: gitDirectory) {
                common = resolved
            }
            return Repository(root: root, commonDirectory: common, gitDirectory: gitDirectory)
        default:
            return nil
        }
    }
}

extension StringProtocol {
    func trimmed(of set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
