#if canImport(Glibc)
import Glibc
#endif

/// Where the per-user control socket lives, and the checks that make the directory safe.
public enum ControlSocketPath {
    /// `$XDG_RUNTIME_DIR/cordon/control.sock`, or `/tmp/cordon-UID/control.sock` when that
    /// variable is unset or empty. The directory is created mode 0700 when missing and must be
    /// a real directory owned by the user and closed to everyone else.
    public static func resolve(environment: [String: String], uid: uid_t = getuid(), create: Bool) throws(ControlSocketError) -> String {
        let directory: String
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            directory = runtime + "/cordon"
        } else {
            directory = "/tmp/cordon-\(uid)"
        }
        if create, mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw ControlSocketError(
                code: .unsafeDirectory, operation: "create \(directory)", reason: String(cString: strerror(errno)),
                remedy: "set XDG_RUNTIME_DIR to a directory you own")
        }
        try checkDirectory(directory, uid: uid)
        return directory + "/control.sock"
    }

    /// Refuses a directory that is a symlink, not a directory, owned by someone else, or that
    /// anyone but its owner may enter or write.
    static func checkDirectory(_ path: String, uid: uid_t) throws(ControlSocketError) {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw ControlSocketError(
                code: .notRunning, operation: "inspect \(path)", reason: String(cString: strerror(errno)),
                remedy: "start a session with `cordon run` first")
        }
        let unsafe: String?
        if st.st_mode & S_IFMT != S_IFDIR {
            unsafe = "not a directory"
        } else if st.st_uid != uid {
            unsafe = "owned by uid \(st.st_uid), not \(uid)"
        } else if st.st_mode & 0o077 != 0 {
            unsafe = "mode \(String(st.st_mode & 0o777, radix: 8)) lets other users in"
        } else {
            unsafe = nil
        }
        if let unsafe {
            throw ControlSocketError(
                code: .unsafeDirectory, operation: "check \(path)", reason: unsafe,
                remedy: "remove it, or make it a directory of your own with mode 0700")
        }
    }
}
