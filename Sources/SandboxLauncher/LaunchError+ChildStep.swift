import LinuxSystem
import SandboxPolicy
import SystemPackage

extension LaunchError {
    /// Explains a failed child step in the plan's terms: the layer, the operation with the plan
    /// entry it was applying, and a remedy naming the kernel feature involved.
    init(_ failure: LinuxSystemError, plan: LaunchPlan) {
        guard let step = failure.step else {
            self.init(
                layer: "launch", step: "prepare", errno: failure.errno, message: failure.description,
                remedy: "Check the plan's paths and addresses.")
            return
        }
        let entry = Self.entry(step, index: failure.index, plan: plan)
        let (layer, operation, remedy) = Self.explain(step)
        self.init(
            layer: layer, step: String(describing: step), errno: failure.errno,
            message: entry.map { "\(operation) (\($0))" } ?? operation, remedy: remedy)
    }

    private static func entry(_ step: ChildStep, index: Int?, plan: LaunchPlan) -> String? {
        guard let index else { return nil }
        switch step {
        case .mountMkdir, .mountCreate, .mount, .mountAttributes, .procProtect:
            return plan.mounts.indices.contains(index) ? "mount step \(index): \(plan.mounts[index])" : nil
        case .landlockPath:
            return plan.landlock.flatMap { $0.pathRules.indices.contains(index) ? $0.pathRules[index].path : nil }
        case .landlockPort:
            return plan.landlock.flatMap { $0.portRules.indices.contains(index) ? "port \($0.portRules[index].port)" : nil }
        case .listener:
            return plan.listeners.indices.contains(index)
                ? "\(plan.listeners[index].address):\(plan.listeners[index].port)" : nil
        case .rlimit:
            return plan.resourceLimits.indices.contains(index) ? "RLIMIT \(plan.resourceLimits[index].resource)" : "RLIMIT_CORE"
        case .seccomp:
            return plan.seccomp.indices.contains(index) ? "program \"\(plan.seccomp[index].name)\"" : nil
        case .cgroupJoin:
            return "group \(index)"
        case .capabilityBounding:
            return "capability \(index)"
        case .standardStreams:
            return "fd \(index)"
        default:
            return nil
        }
    }

    private static func explain(_ step: ChildStep) -> (layer: String, operation: String, remedy: String) {
        let userns = "Check that user namespaces are enabled (sysctl user.max_user_namespaces > 0; kernel.unprivileged_userns_clone=1 or kernel.apparmor_restrict_unprivileged_userns=0 where present)."
        let mounts = "The view needs a user and mount namespace in which the caller may mount; check the plan's mount steps and that their sources exist."
        switch step {
        case .none: return ("launch", "no step", "")
        case .pipe: return ("launch", "create the launch pipes", "Raise the open-file limit (ulimit -n).")
        case .clone: return ("view", "clone the sandbox with its namespaces", userns)
        case .setgroups: return ("view", "write /proc/PID/setgroups", userns)
        case .uidMap: return ("view", "write /proc/PID/uid_map", userns)
        case .gidMap: return ("view", "write /proc/PID/gid_map", userns)
        case .cgroupJoin: return ("process", "move the sandbox into its cgroup", "Run with cgroup write access (a delegated cgroup) or without cgroup limits under explicit best effort.")
        case .sync: return ("launch", "hand over to the sandbox", "The sandbox's first process died before it could start; check the kernel log.")
        case .parentDeathSignal: return ("process", "set PR_SET_PDEATHSIG", "The kernel refused prctl(PR_SET_PDEATHSIG).")
        case .mountPrivate: return ("view", "make mounts private", mounts)
        case .stagingTmpfs: return ("view", "mount the staging tmpfs", mounts)
        case .stagingPivot: return ("view", "pivot_root into the staging tmpfs", mounts)
        case .rootTmpfs: return ("view", "mount the new root tmpfs", mounts)
        case .mountMkdir: return ("view", "create a mount point", mounts)
        case .mountCreate: return ("view", "create a file, directory or link", mounts)
        case .mount: return ("view", "mount", mounts)
        case .mountAttributes: return ("view", "set mount attributes with mount_setattr (Linux 5.12)", "Cordon needs Linux 5.12 or newer for recursive read-only binds.")
        case .procProtect: return ("view", "make /proc's sensitive entries read-only or hidden", mounts)
        case .pivotRoot: return ("view", "pivot_root into the new root", mounts)
        case .detachOldRoot: return ("view", "detach the host's root", mounts)
        case .workingDirectory: return ("view", "change to the working directory", "Make sure the working directory is inside the view.")
        case .hostname: return ("view", "set the host name", "The UTS namespace must be in the plan to set a host name.")
        case .loopback: return ("network", "bring up loopback in the new network namespace", "The kernel refused SIOCSIFFLAGS on lo; check that network namespaces are enabled.")
        case .localPortRange: return ("network", "narrow the ephemeral port range of the new network namespace", "The kernel refused a write to /proc/sys/net/ipv4/ip_local_port_range in the sandbox's own network namespace; check that /proc/sys/net is writable there.")
        case .listener: return ("network", "create a loopback listener", "Use a free port, or port 0 to let the kernel choose.")
        case .terminal: return ("terminal", "open a pseudo-terminal in the new devpts", "The plan needs a devpts mount step for a relayed terminal (CONFIG_DEVPTS_MULTIPLE_INSTANCES).")
        case .sendDescriptors: return ("launch", "pass descriptors to the supervisor", "Raise the open-file limit (ulimit -n).")
        case .rlimit: return ("process", "set a resource limit", "A limit above the current hard limit needs privilege; lower it.")
        case .capabilityBounding: return ("process", "drop the capability bounding set", "The kernel refused PR_CAPBSET_DROP.")
        case .capabilityAmbient: return ("process", "clear ambient capabilities", "Linux 4.3 or newer is needed for ambient capabilities.")
        case .noNewPrivs: return ("process", "set no_new_privs", "Linux 3.5 or newer is needed for PR_SET_NO_NEW_PRIVS.")
        case .dumpable: return ("process", "clear the dumpable flag", "The kernel refused PR_SET_DUMPABLE.")
        case .landlockRuleset: return ("landlock", "create the Landlock ruleset", "Enable Landlock (CONFIG_SECURITY_LANDLOCK, 'landlock' in the lsm= boot parameter) or run with explicit best effort.")
        case .landlockPath: return ("landlock", "add a Landlock path rule", "The rule's rights must be handled by the ruleset and the kernel's ABI.")
        case .landlockPort: return ("landlock", "add a Landlock port rule", "TCP port rules need Landlock ABI 4 (Linux 6.7).")
        case .landlockRestrict: return ("landlock", "restrict the sandbox with Landlock", "Landlock needs no_new_privs (the process layer) and a kernel with Landlock enabled.")
        case .capabilities: return ("process", "clear all capability sets", "The kernel refused capset.")
        case .fork: return ("process", "start the program under the sandbox's first process", "Raise the process limit (pids) of the session.")
        case .session: return ("terminal", "start a new session", "The program could not become a session leader.")
        case .controllingTerminal: return ("terminal", "make the pseudo-terminal the controlling terminal", "The kernel refused TIOCSCTTY.")
        case .standardStreams: return ("terminal", "connect the pseudo-terminal to the standard streams", "The kernel refused dup2.")
        case .closeDescriptors: return ("process", "close inherited descriptors", "close_range needs Linux 5.9.")
        case .seccomp: return ("seccomp", "install a seccomp program", "Check the program (seccomp needs CONFIG_SECCOMP_FILTER and no_new_privs; at most 4096 instructions).")
        case .exec: return ("launch", "execute the program", "Make sure the program exists in the view, is executable, and its directory is bound with exec rights (on PATH for a bare name).")
        }
    }
}
