/// The environment the sandboxed program starts with: an allow-list, plus `env:` grants.
extension ProfileCompiler {
    /// Names passed through unless a value is synthesized for them.
    static let environmentAllowList: Set<String> = ["PATH", "TERM", "LANG", "TZ", "COLORTERM"]
    static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    func environment(for profile: Profile, view: View) -> [String] {
        var result: [String: String] = [:]
        for (name, value) in profile.hostEnvironment
        where Self.environmentAllowList.contains(name) || name.hasPrefix("LC_") {
            result[name] = value
        }
        for case .environment(let name) in profile.capabilities {
            if let value = profile.hostEnvironment[name] { result[name] = value }
        }
        result["HOME"] = profile.user.home
        result["USER"] = profile.user.name
        result["LOGNAME"] = profile.user.name
        result["SHELL"] = profile.user.shell
        if result["PATH"] == nil { result["PATH"] = Self.defaultPath }
        if view.grants.contains(where: { $0.path == Self.temporaryDirectory }) { result["TMPDIR"] = Self.temporaryDirectory }
        return result.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
