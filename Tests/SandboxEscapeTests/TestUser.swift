import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who a probe runs as: the suite runs once as root and once as an unprivileged user, both
/// outside (the control) and inside the sandbox.
enum TestUser: String, CustomStringConvertible, Sendable, CaseIterable {
    case root
    case unprivileged

    /// The account the unprivileged pass uses; created on first use.
    static let accountName = "cordon-probe"

    var description: String { rawValue }

    /// `nil` for root; the account's ids otherwise (creating it with `useradd -m` if absent).
    var ids: (uid: uid_t, gid: gid_t)? {
        switch self {
        case .root: return nil
        case .unprivileged: return try? TestUser.unprivilegedAccount.get()
        }
    }

    /// Whether a given `users` field in the probe data applies to this user.
    func matches(_ users: String?) -> Bool {
        switch users ?? "both" {
        case "both": return true
        default: return users == rawValue
        }
    }

    /// Prefixes `argv` with a switch to this user (setpriv execs in place: the pid is the program's).
    func wrap(_ argv: [String]) -> [String] {
        guard let ids else { return argv }
        return ["/usr/bin/setpriv", "--reuid=\(ids.uid)", "--regid=\(ids.gid)", "--clear-groups", "--"] + argv
    }

    /// Hands a fixture path to this user.
    func own(_ path: String) throws {
        guard let ids else { return }
        let r = try ChildProcess.run(["/bin/chown", "-R", "\(ids.uid):\(ids.gid)", path], environment: [], directory: "/", user: .root)
        guard r.exitCode == 0 else { throw FixtureError("chown -R \(path): \(r.stderr)") }
    }

    /// The unprivileged account, looked up or created once for the whole run.
    static let unprivilegedAccount: Result<(uid: uid_t, gid: gid_t), FixtureError> = {
        func lookup() -> (uid_t, gid_t)? {
            guard let pw = getpwnam(accountName) else { return nil }
            return (pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        if let found = lookup() { return .success(found) }
        guard getuid() == 0 else { return .failure(FixtureError("the unprivileged pass needs root to create \(accountName)")) }
        let made = try? ChildProcess.run(["/usr/sbin/useradd", "-m", "-s", "/bin/sh", accountName], environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], directory: "/", user: .root)
        if let found = lookup() { return .success(found) }
        return .failure(FixtureError("useradd -m \(accountName) failed: \(made?.stderr ?? "did not run")"))
    }()
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
