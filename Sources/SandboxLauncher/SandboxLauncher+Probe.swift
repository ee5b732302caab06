import LinuxSystem
import SandboxPolicy

extension SandboxLauncher {
    /// Asks the running kernel what it can enforce: Landlock's ABI, seccomp filters and user
    /// notification, user namespaces (by creating one), and the memory and pids controllers
    /// this user may create groups under. Each missing feature gets a note saying why.
    public static func probeKernel() -> KernelFeatures {
        var notes: [String: String] = [:]
        var landlockABI: Int?
        switch KernelProbe.landlockABI() {
        case .success(let abi): landlockABI = abi
        case .failure(let errno):
            notes["landlock"] = "landlock_create_ruleset: \(errno) (enable CONFIG_SECURITY_LANDLOCK and add landlock to lsm=)"
        }
        var seccompFilter = false
        switch KernelProbe.seccompFilter() {
        case .success: seccompFilter = true
        case .failure(let errno): notes["seccomp"] = "seccomp filter mode: \(errno) (enable CONFIG_SECCOMP_FILTER)"
        }
        var userNotification = false
        switch KernelProbe.seccompUserNotification() {
        case .success: userNotification = true
        case .failure(let errno): notes["seccomp.userNotification"] = "SECCOMP_RET_USER_NOTIF: \(errno) (Linux 5.0 or newer)"
        }
        var userNamespaces = false
        switch KernelProbe.userNamespaces() {
        case .success: userNamespaces = true
        case .failure(let errno):
            notes["namespaces.user"] = "clone(CLONE_NEWUSER): \(errno) (check user.max_user_namespaces and unprivileged user namespace sysctls)"
        }
        func controller(_ name: String) -> CgroupController? {
            switch Cgroups.locate(controller: name) {
            case .success(let location):
                return CgroupController(version: location.version == .v2 ? .v2 : .v1, parentDirectory: location.directory)
            case .failure(let error):
                notes["cgroup.\(name)"] = "\(error) (delegate a cgroup to this user, or run as root)"
                return nil
            }
        }
        return KernelFeatures(
            landlockABI: landlockABI, seccompFilter: seccompFilter, seccompUserNotification: userNotification,
            userNamespaces: userNamespaces, memoryController: controller("memory"), pidsController: controller("pids"),
            notes: notes)
    }
}
