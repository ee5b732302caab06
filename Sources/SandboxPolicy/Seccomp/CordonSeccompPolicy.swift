/// Cordon's own seccomp allow-list: the first program every sandbox gets.
public enum CordonSeccompPolicy {
    /// `CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID
    /// | CLONE_NEWNET`: `clone` with any of these is refused, like `unshare`.
    public static let namespaceCloneFlags: UInt64 = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000
        | 0x1000_0000 | 0x2000_0000 | 0x4000_0000
    /// `TIOCSTI`: pushes bytes into a terminal's input queue (keystroke injection).
    public static let TIOCSTI: UInt64 = 0x5412
    /// `TIOCLINUX`: console subcommands, including selection paste into the input queue.
    public static let TIOCLINUX: UInt64 = 0x541C
    /// Socket families allowed: `AF_UNIX`, `AF_INET`, `AF_INET6`. `AF_NETLINK` (16) only with
    /// protocol `NETLINK_ROUTE` (0), which programs use to list interfaces.
    public static let allowedSocketFamilies: [UInt64] = [1, 2, 10]
    /// `personality` values that only select Linux behaviour (`PER_LINUX`, `PER_LINUX32`,
    /// `UNAME26` variants, and the query `0xffffffff`); `READ_IMPLIES_EXEC` and friends are refused.
    public static let allowedPersonalities: [UInt64] = [0x0, 0x8, 0x20000, 0x20008, 0xffff_ffff]

    /// The filter: default `EPERM` for known calls not listed, `ENOSYS` for numbers newer than
    /// the table, `clone3` `ENOSYS` (its flags live in memory a filter cannot read; libc falls
    /// back to `clone`, whose flags are checked).
    public static var filter: SeccompFilter {
        var rules: [SeccompRule] = [SeccompRule("clone3", .errno(Errno.ENOSYS))]
        rules.append(SeccompRule("clone", .allow, when: [
            ArgumentCondition(index: 0, .maskedEqual, 0, mask: namespaceCloneFlags, lowWordOnly: true),
        ]))
        for family in allowedSocketFamilies {
            rules.append(SeccompRule("socket", .allow, when: [ArgumentCondition(index: 0, .equal, family, lowWordOnly: true)]))
        }
        rules.append(SeccompRule("socket", .allow, when: [
            ArgumentCondition(index: 0, .equal, 16, lowWordOnly: true),
            ArgumentCondition(index: 2, .equal, 0, lowWordOnly: true),
        ]))
        rules.append(SeccompRule("socket", .errno(Errno.EAFNOSUPPORT)))
        rules.append(SeccompRule("socketpair", .allow, when: [ArgumentCondition(index: 0, .equal, 1, lowWordOnly: true)]))
        rules.append(SeccompRule("socketpair", .errno(Errno.EAFNOSUPPORT)))
        // The kernel reads the request as a 32-bit int, so only the low word may be compared:
        // a high bit set by the caller must not slip past the filter.
        rules.append(SeccompRule("ioctl", .errno(Errno.EPERM), when: [ArgumentCondition(index: 1, .equal, TIOCSTI, lowWordOnly: true)]))
        rules.append(SeccompRule("ioctl", .errno(Errno.EPERM), when: [ArgumentCondition(index: 1, .equal, TIOCLINUX, lowWordOnly: true)]))
        rules.append(SeccompRule("ioctl", .allow))
        for persona in allowedPersonalities {
            rules.append(SeccompRule("personality", .allow, when: [ArgumentCondition(index: 0, .equal, persona, lowWordOnly: true)]))
        }
        rules += allowed.map { SeccompRule($0, .allow) }
        return SeccompFilter(
            name: "cordon allow-list", defaultAction: .errno(Errno.EPERM),
            unknownNumberAction: .errno(Errno.ENOSYS), rules: rules)
    }

    /// Calls refused outright, and why: shown by `cordon doctor` and checked by the tests
    /// (each must be absent from `allowed`).
    public static let denied: [(names: [String], reason: String)] = [
        (["ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp", "process_madvise"], "reading or changing other processes"),
        (["io_uring_setup", "io_uring_enter", "io_uring_register"], "io_uring bypasses seccomp for the operations it performs"),
        (["bpf", "perf_event_open", "userfaultfd"], "kernel attack surface"),
        (["keyctl", "add_key", "request_key"], "the kernel keyrings are not namespaced"),
        (["mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "open_tree_attr", "fsopen", "fsconfig",
          "fsmount", "fspick", "mount_setattr", "statmount", "listmount"], "changing or inspecting the mount tree"),
        (["unshare", "setns"], "new namespaces undo the view"),
        (["open_by_handle_at"], "opens files by handle, around the view"),
        (["kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "create_module",
          "get_kernel_syms", "query_module"], "kernel code"),
        (["acct", "swapon", "swapoff", "reboot", "sethostname", "setdomainname", "settimeofday", "clock_settime",
          "clock_adjtime", "adjtimex", "iopl", "ioperm", "syslog", "quotactl", "quotactl_fd", "nfsservctl", "vhangup",
          "lookup_dcookie", "uselib", "ustat", "sysfs", "_sysctl", "modify_ldt", "fanotify_init", "fanotify_mark",
          "move_pages", "migrate_pages", "lsm_set_self_attr"], "system administration"),
        (["afs_syscall", "tuxcall", "security", "getpmsg", "putpmsg", "vserver", "epoll_ctl_old", "epoll_wait_old"], "not implemented"),
    ]

    /// Calls allowed without conditions (the ones decided by their arguments are in `filter`).
    public static let allowed: [String] = [
        "read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap", "mprotect",
        "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "pread64", "pwrite64", "readv",
        "writev", "access", "pipe", "select", "sched_yield", "mremap", "msync", "mincore", "madvise", "shmget",
        "shmat", "shmctl", "dup", "dup2", "pause", "nanosleep", "getitimer", "alarm", "setitimer", "getpid",
        "sendfile", "connect", "accept", "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown", "bind",
        "listen", "getsockname", "getpeername", "setsockopt", "getsockopt", "fork", "vfork", "execve", "exit",
        "wait4", "kill", "uname", "semget", "semop", "semctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl",
        "fcntl", "flock", "fsync", "fdatasync", "truncate", "ftruncate", "getdents", "getcwd", "chdir",
        "fchdir", "rename", "mkdir", "rmdir", "creat", "link", "unlink", "symlink", "readlink", "chmod",
        "fchmod", "chown", "fchown", "lchown", "umask", "gettimeofday", "getrlimit", "getrusage", "sysinfo",
        "times", "getuid", "getgid", "setuid", "setgid", "geteuid", "getegid", "setpgid", "getppid", "getpgrp",
        "setsid", "setreuid", "setregid", "getgroups", "setgroups", "setresuid", "getresuid", "setresgid",
        "getresgid", "getpgid", "setfsuid", "setfsgid", "getsid", "capget", "capset", "rt_sigpending",
        "rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend", "sigaltstack", "utime", "mknod", "statfs",
        "fstatfs", "getpriority", "setpriority", "sched_setparam", "sched_getparam", "sched_setscheduler",
        "sched_getscheduler", "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval",
        "mlock", "munlock", "mlockall", "munlockall", "prctl", "arch_prctl", "setrlimit", "sync", "gettid",
        "readahead", "setxattr", "lsetxattr", "fsetxattr", "getxattr", "lgetxattr", "fgetxattr", "listxattr",
        "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr", "tkill", "time", "futex",
        "sched_setaffinity", "sched_getaffinity", "set_thread_area", "io_setup", "io_destroy", "io_getevents",
        "io_submit", "io_cancel", "get_thread_area", "epoll_create", "remap_file_pages", "getdents64",
        "set_tid_address", "restart_syscall", "semtimedop", "fadvise64", "timer_create", "timer_settime",
        "timer_gettime", "timer_getoverrun", "timer_delete", "clock_gettime", "clock_getres",
        "clock_nanosleep", "exit_group", "epoll_wait", "epoll_ctl", "tgkill", "utimes", "mbind",
        "set_mempolicy", "get_mempolicy", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive",
        "mq_notify", "mq_getsetattr", "waitid", "ioprio_set", "ioprio_get", "inotify_init",
        "inotify_add_watch", "inotify_rm_watch", "openat", "mkdirat", "mknodat", "fchownat", "futimesat",
        "newfstatat", "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat", "fchmodat", "faccessat",
        "pselect6", "ppoll", "set_robust_list", "get_robust_list", "splice", "tee", "sync_file_range",
        "vmsplice", "utimensat", "epoll_pwait", "signalfd", "timerfd_create", "eventfd", "fallocate",
        "timerfd_settime", "timerfd_gettime", "accept4", "signalfd4", "eventfd2", "epoll_create1", "dup3",
        "pipe2", "inotify_init1", "preadv", "pwritev", "rt_tgsigqueueinfo", "recvmmsg", "prlimit64",
        "name_to_handle_at", "syncfs", "sendmmsg", "getcpu", "sched_setattr", "sched_getattr", "renameat2",
        "seccomp", "getrandom", "memfd_create", "execveat", "membarrier", "mlock2", "copy_file_range",
        "preadv2", "pwritev2", "pkey_mprotect", "pkey_alloc", "pkey_free", "statx", "io_pgetevents", "rseq",
        "pidfd_send_signal", "pidfd_open", "close_range", "openat2", "faccessat2", "epoll_pwait2",
        "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "memfd_secret",
        "process_mrelease", "futex_waitv", "set_mempolicy_home_node", "cachestat", "fchmodat2",
        "map_shadow_stack", "futex_wake", "futex_wait", "futex_requeue", "lsm_get_self_attr",
        "lsm_list_modules", "mseal", "setxattrat", "getxattrat", "listxattrat", "removexattrat",
        "file_getattr", "file_setattr",
    ]
}
