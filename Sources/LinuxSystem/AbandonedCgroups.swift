#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Session groups a supervisor left behind: killed before it could remove them (SIGKILL, a
/// crash), it leaves its `cordon-PID-N` groups empty (its sandboxes die with it) but in place.
/// The next launch under the same controller removes them.
public enum AbandonedCgroups {
    /// Removes the session groups under `location` whose supervisor no process is any more:
    /// named for a PID that does not exist, made at least `minimumAge` seconds ago (never a group
    /// a live launch in another PID namespace is setting up) and empty (the kernel removes no
    /// other). Returns the directories removed.
    @discardableResult
    public static func remove(in location: CgroupLocation, minimumAge: Int = 60) -> [String] {
        var candidates: [String] = []
        guard let directory = opendir(location.directory) else { return [] }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = CgroupGroup.supervisorPID(ofSessionGroup: name), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { candidates.append(location.directory + "/" + name) }
        }
        closedir(directory)
        let now = time(nil)
        return candidates.filter { path in
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, now - info.st_ctim.tv_sec >= minimumAge else { return false }
            return rmdir(path) == 0
        }
    }
}
