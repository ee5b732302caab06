/// What plan compilation needs to know about the host's files, supplied from outside so that
/// the compiler stays pure. The real implementation uses `lstat` and `readdir`; tests use a map.
public protocol FileSystemFacts: Sendable {
    /// The kind of the file at `path` without following a final symbolic link, or `nil` when
    /// nothing is there.
    func kind(of path: String) -> FileKind?
    /// Names in the directory `path` (without `.` and `..`), or `nil` when it cannot be listed.
    func entries(of path: String) -> [String]?
    /// The first bytes of a small text file (a worktree's `.git` file, `commondir`), or `nil`.
    func text(of path: String) -> String?
}

/// File kinds the compiler distinguishes.
public enum FileKind: Sendable, Equatable {
    case directory
    case regular
    /// A symbolic link and its target as stored.
    case symlink(String)
    case socket
    case other
}
