/// A path the sandbox protects even inside a granted directory, unless a capability names
/// that path (or one beneath it) itself.
public struct Protection: Sendable, Equatable, Codable {
    /// What is withheld.
    public enum Kind: String, Sendable, Codable {
        /// Never readable (credentials, keys, browser profiles).
        case secret
        /// Readable, never writable, never creatable (shell start-up files, hooks: what runs
        /// later, outside the sandbox).
        case persistence
        /// Cordon's own state, policy and control socket: neither readable nor writable.
        case cordon
    }

    /// `~/...` for the home directory, `{repo}/...` for every repository present at launch
    /// (the workspace and those found in it), `{state}`, `{config}`, `{runtime}` for Cordon's
    /// own directories.
    public var pattern: String
    public var kind: Kind
    public var reason: String

    /// Creates a protection.
    public init(_ pattern: String, _ kind: Kind, _ reason: String) {
        self.pattern = pattern
        self.kind = kind
        self.reason = reason
    }

    /// The mandatory list.
    public static let mandatory: [Protection] = secrets + persistence + repository + cordon

    static let secrets: [Protection] = [
        ("~/.ssh", "SSH keys"), ("~/.gnupg", "GnuPG keys"), ("~/.aws", "AWS credentials"), ("~/.azure", "Azure credentials"),
        ("~/.config/gcloud", "Google Cloud credentials"), ("~/.kube", "Kubernetes credentials"),
        ("~/.docker/config.json", "registry credentials"), ("~/.netrc", "login credentials"),
        ("~/.git-credentials", "git credentials"), ("~/.password-store", "pass password store"),
        ("~/.config/gh", "GitHub CLI token"), ("~/.npmrc", "npm token"), ("~/.pypirc", "PyPI token"),
        ("~/.cargo/credentials.toml", "crates.io token"), ("~/.vault-token", "Vault token"),
        ("~/.mozilla", "Firefox profiles"), ("~/.config/google-chrome", "Chrome profiles"),
        ("~/.config/chromium", "Chromium profiles"), ("~/.config/BraveSoftware", "Brave profiles"),
        ("~/.config/microsoft-edge", "Edge profiles"), ("~/.local/share/keyrings", "GNOME keyrings"),
        ("~/.local/share/kwalletd", "KDE wallets"), ("~/.pki", "NSS certificate and key databases"),
    ].map { Protection($0.0, .secret, $0.1) }

    static let persistence: [Protection] = [
        "~/.bashrc", "~/.bash_profile", "~/.bash_login", "~/.bash_logout", "~/.profile", "~/.zshrc", "~/.zshenv",
        "~/.zprofile", "~/.zlogin", "~/.zlogout", "~/.config/fish", "~/.pam_environment", "~/.xprofile", "~/.xinitrc",
        "~/.xsessionrc", "~/.config/environment.d",
    ].map { Protection($0, .persistence, "shell and session start-up") } + [
        Protection("~/.gitconfig", .persistence, "git configuration (aliases and hooks run commands)"),
        Protection("~/.config/git", .persistence, "git configuration (aliases and hooks run commands)"),
        Protection("~/.local/bin", .persistence, "commands on PATH"),
        Protection("~/.local/lib", .persistence, "Python user site-packages (.pth files run at start-up)"),
        Protection("~/.config/autostart", .persistence, "desktop autostart entries"),
        Protection("~/.config/systemd", .persistence, "systemd user units"),
        Protection("~/.vimrc", .persistence, "editor start-up"), Protection("~/.config/nvim", .persistence, "editor start-up"),
        Protection("~/.emacs", .persistence, "editor start-up"), Protection("~/.emacs.d", .persistence, "editor start-up"),
    ]

    static let repository: [Protection] = [
        Protection("{repo}/.git/hooks", .persistence, "git hooks run on the person's next commit"),
        Protection("{repo}/.git/config", .persistence, "repository configuration (core.fsmonitor, aliases run commands)"),
        Protection("{repo}/.vscode", .persistence, "editor tasks and settings run commands"),
        Protection("{repo}/.idea", .persistence, "IDE run configurations"),
        Protection("{repo}/.mcp.json", .persistence, "MCP servers started by agents and editors"),
        Protection("{repo}/.envrc", .persistence, "direnv runs it on entering the directory"),
    ]

    static let cordon: [Protection] = [
        Protection("{state}", .cordon, "Cordon's audit log and session state"),
        Protection("{config}", .cordon, "Cordon's policy and configuration"),
        Protection("{runtime}", .cordon, "Cordon's control socket"),
    ]
}

/// Where Cordon keeps its own files, derived from the XDG variables (pure: the caller passes
/// the environment).
public struct CordonDirectories: Sendable, Equatable, Codable {
    public var state: String
    public var config: String
    /// The directory of the control socket.
    public var runtime: String
    /// Files and directories of Cordon's that live elsewhere (an `--audit-dir` outside the state
    /// directory, a checkpoint signing key): held like the directories above.
    public var additional: [String] = []

    /// Derives the directories the way the rest of Cordon does: `$XDG_STATE_HOME/cordon`
    /// (default `~/.local/state/cordon`), `$XDG_CONFIG_HOME/cordon` (default `~/.config/cordon`),
    /// `$XDG_RUNTIME_DIR/cordon` (default `~/.local/state/cordon/run`).
    public init(environment: [String: String], home: String) {
        func absolute(_ name: String) -> String? {
            guard let value = environment[name], value.hasPrefix("/") else { return nil }
            return PathText.normalise(value)
        }
        state = PathText.join(absolute("XDG_STATE_HOME") ?? PathText.join(home, ".local/state"), "cordon")
        config = PathText.join(absolute("XDG_CONFIG_HOME") ?? PathText.join(home, ".config"), "cordon")
        runtime = absolute("XDG_RUNTIME_DIR").map { PathText.join($0, "cordon") } ?? PathText.join(state, "run")
    }
}
