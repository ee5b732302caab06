import CCordonLinux
import SystemPackage

/// Probes for the kernel features the launcher relies on. Each probe asks the kernel itself
/// (a version query or a harmless attempt) rather than reading configuration, because sysctls,
/// `lsm=` lists and container runtimes can each take a feature away.
public enum KernelProbe {
    /// The Landlock ABI version (`LANDLOCK_CREATE_RULESET_VERSION`), or the errno that refused it.
    public static func landlockABI() -> Result<Int, Errno> {
        let abi = cordon_landlock_abi()
        return abi >= 0 ? .success(Int(abi)) : .failure(Errno(rawValue: -abi))
    }

    /// Whether `seccomp(SECCOMP_SET_MODE_FILTER)` is available, or the errno that says why not.
    public static func seccompFilter() -> Result<Void, Errno> {
        let rc = cordon_seccomp_filter_available()
        return rc == 0 ? .success(()) : .failure(Errno(rawValue: -rc))
    }

    /// Whether `SECCOMP_RET_USER_NOTIF` is available.
    public static func seccompUserNotification() -> Result<Void, Errno> {
        let rc = cordon_seccomp_user_notification_available()
        return rc == 0 ? .success(()) : .failure(Errno(rawValue: -rc))
    }

    /// Whether this process can create a user namespace (tries it in a child that exits at once).
    public static func userNamespaces() -> Result<Void, Errno> {
        let rc = cordon_user_namespace_available()
        return rc == 0 ? .success(()) : .failure(Errno(rawValue: -rc))
    }
}
