#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SystemPackage

/// Where a cgroup controller can be used by this process.
public struct CgroupLocation: Sendable, Equatable {
    /// The hierarchy version.
    public enum Version: String, Sendable, Equatable { case v1, v2 }
    /// v1 (one hierarchy per controller) or v2 (the unified hierarchy).
    public var version: Version
    /// This process's own group for that controller; per-session groups are made beneath it,
    /// so the host's limits on Cordon still bound every sandbox.
    public var directory: String
    /// Creates a location.
    public init(version: Version, directory: String) {
        self.version = version
        self.directory = directory
    }
}

/// Finding cgroup controllers and making per-session groups.
public enum Cgroups {
    /// Locates `controller` (`"memory"`, `"pids"`): v2 when the unified hierarchy delegates it
    /// to this process's group, otherwise v1. Fails when neither exists or this user may not
    /// create groups there.
    public static func locate(controller: String) -> Result<CgroupLocation, LinuxSystemError> {
        let membership: String
        do { membership = try SmallFiles.read("/proc/self/cgroup") } catch { return .failure(error) }
        var lastError = LinuxSystemError(operation: "find cgroup controller \(controller)", errno: .noSuchFileOrDirectory)
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let controllers = fields[1]
            let path = fields[2] == "/" ? "" : String(fields[2])
            if fields[0] == "0" && controllers.isEmpty {
                for root in ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"] {
                    let directory = root + path
                    guard let enabled = try? SmallFiles.read(directory + "/cgroup.subtree_control"),
                          enabled.split(whereSeparator: { $0 == " " || $0 == "\n" }).contains(Substring(controller))
                    else { continue }
                    if access(directory, W_OK) == 0 { return .success(CgroupLocation(version: .v2, directory: directory)) }
                    lastError = LinuxSystemError(operation: "create cgroup", path: directory, errno: Errno(rawValue: errno))
                }
            } else if controllers.split(separator: ",").contains(Substring(controller)) {
                let directory = "/sys/fs/cgroup/\(controllers)\(path)"
                if access(directory, W_OK) == 0 { return .success(CgroupLocation(version: .v1, directory: directory)) }
                lastError = LinuxSystemError(operation: "create cgroup", path: directory, errno: Errno(rawValue: errno))
            }
        }
        return .failure(lastError)
    }
}

/// One per-session cgroup under a controller's location, removed when the session ends.
public struct CgroupGroup: Sendable {
    /// Where the group lives.
    public let location: CgroupLocation
    /// The group's directory.
    public let directory: String

    /// The name of a session's group: the supervisor's PID and its count of sessions.
    public static func sessionGroupName(supervisor pid: pid_t, session: Int) -> String { "cordon-\(pid)-\(session)" }

    /// The supervisor's PID in a name `sessionGroupName` made, nil for any other name.
    public static func supervisorPID(ofSessionGroup name: String) -> pid_t? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cordon", Int(parts[2]) != nil, let pid = pid_t(parts[1]), pid > 0 else { return nil }
        return pid
    }

    /// Creates `name` beneath `location` (mode 0755).
    public static func create(in location: CgroupLocation, name: String) throws(LinuxSystemError) -> CgroupGroup {
        let directory = location.directory + "/" + name
        if mkdir(directory, 0o755) != 0 {
            throw LinuxSystemError(operation: "mkdir", path: directory, errno: Errno(rawValue: errno))
        }
        return CgroupGroup(location: location, directory: directory)
    }

    /// The file the child's pid is written to before it execs (v2).
    public var processesFile: String { directory + "/cgroup.procs" }

    /// On v1, the `tasks` files a thread of this process writes 0 to, to move itself into this
    /// group and back into the process's own group; `nil` on v2, where a process's threads
    /// share one group.
    public var threadMove: (enter: String, leave: String)? {
        location.version == .v1 ? (directory + "/tasks", location.directory + "/tasks") : nil
    }

    /// Caps memory (`memory.max` on v2; `memory.limit_in_bytes`, and with swap accounting
    /// `memory.memsw.limit_in_bytes`, on v1, so swap cannot extend the cap).
    public func limitMemory(bytes: UInt64) throws(LinuxSystemError) {
        switch location.version {
        case .v2:
            try SmallFiles.write(String(bytes), to: directory + "/memory.max")
            if access(directory + "/memory.swap.max", F_OK) == 0 {
                try SmallFiles.write("0", to: directory + "/memory.swap.max")
            }
        case .v1:
            try SmallFiles.write(String(bytes), to: directory + "/memory.limit_in_bytes")
            if access(directory + "/memory.memsw.limit_in_bytes", F_OK) == 0 {
                try SmallFiles.write(String(bytes), to: directory + "/memory.memsw.limit_in_bytes")
            }
        }
    }

    /// Caps the number of processes and threads (`pids.max`, the same on v1 and v2).
    public func limitProcesses(_ count: UInt64) throws(LinuxSystemError) {
        try SmallFiles.write(String(count), to: directory + "/pids.max")
    }

    /// Removes the group; it must be empty, which it is once the sandbox's pid 1 was reaped.
    public func remove() throws(LinuxSystemError) {
        if rmdir(directory) != 0 {
            throw LinuxSystemError(operation: "rmdir", path: directory, errno: Errno(rawValue: errno))
        }
    }
}
