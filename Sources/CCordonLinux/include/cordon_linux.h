#ifndef CORDON_LINUX_H
#define CORDON_LINUX_H
/* Only what Swift cannot express: variadic syscall/prctl/ioctl wrappers, kernel constants and
   structs missing from Debian 12's headers, and the async-signal-safe child that applies a
   launch plan between clone and exec. Every symbol is prefixed cordon_. */

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>

/* Where the child stages the new root (after a first pivot into a tmpfs on spec->staging_base)
   and where the host's root stays visible until it is detached. Mount sources and targets in a
   spec are prefixed with these. */
#define CORDON_STAGING_NEW_ROOT "/newroot"
#define CORDON_STAGING_OLD_ROOT "/oldroot"

/* Namespace bits, equal to SandboxPolicy.Namespaces raw values. */
enum {
    CORDON_NS_USER = 1 << 0,
    CORDON_NS_MOUNT = 1 << 1,
    CORDON_NS_PID = 1 << 2,
    CORDON_NS_IPC = 1 << 3,
    CORDON_NS_UTS = 1 << 4,
    CORDON_NS_NET = 1 << 5,
    CORDON_NS_CGROUP = 1 << 6,
};

/* Layer bits, equal to SandboxPolicy.Layers raw values. */
enum {
    CORDON_LAYER_VIEW = 1 << 0,
    CORDON_LAYER_LANDLOCK = 1 << 1,
    CORDON_LAYER_SECCOMP = 1 << 2,
    CORDON_LAYER_PROCESS = 1 << 3,
};

/* One filesystem step; paths are already prefixed with the staging directories. */
enum cordon_mount_kind {
    CORDON_MOUNT_TMPFS = 1,
    CORDON_MOUNT_DIRECTORY,
    CORDON_MOUNT_FILE,
    CORDON_MOUNT_SYMLINK,
    CORDON_MOUNT_BIND,
    CORDON_MOUNT_DEVICE,
    CORDON_MOUNT_PROC,
    CORDON_MOUNT_DEVPTS,
    CORDON_MOUNT_MASK,
    CORDON_MOUNT_REMOUNT_READ_ONLY,
};

enum {
    CORDON_MOUNT_WRITABLE = 1 << 0,
    CORDON_MOUNT_EXECUTABLE = 1 << 1,
};

struct cordon_mount_op {
    int kind;
    uint32_t mode;
    uint32_t flags;
    /* Bind and device: the host path as seen through the old root. Symlink: the destination.
       Tmpfs: the mount options ("mode=...,size=..."). Devpts: where to link ptmx. */
    const char *source;
    /* The path inside the staging new root. */
    const char *target;
    /* File contents; for devpts, the ptmx link's destination. */
    const char *contents;
    size_t contents_length;
};

struct cordon_landlock_path_rule {
    const char *path;
    uint64_t access;
};

struct cordon_landlock_port_rule {
    uint64_t port;
    uint64_t access;
};

struct cordon_rlimit {
    int resource;
    uint64_t soft;
    uint64_t hard;
};

/* Layout-compatible with struct sock_filter. */
struct cordon_bpf_instruction {
    uint16_t code;
    uint8_t jt;
    uint8_t jf;
    uint32_t k;
};

struct cordon_seccomp_program {
    const struct cordon_bpf_instruction *instructions;
    uint16_t count;
};

struct cordon_listener {
    struct sockaddr_storage address;
    socklen_t address_length;
};

struct cordon_launch_spec {
    uint32_t namespaces;
    uint32_t layers;
    uint32_t inside_uid, outside_uid, inside_gid, outside_gid;
    const char *const *argv;      /* NULL-terminated */
    const char *const *envp;      /* NULL-terminated */
    const char *search_path;      /* PATH from the plan's environment, or NULL */
    const char *working_directory;
    const char *hostname;
    const struct cordon_mount_op *mounts;
    size_t mount_count;
    /* The first mounts, the view's base: the child applies them as soon as its ids are mapped,
       before the go, while the supervisor may still be writing the rest of the spec. */
    size_t base_mount_count;
    int landlock_enabled;
    int landlock_abi;             /* the kernel's ABI, already checked against the plan */
    uint64_t landlock_handled_fs;
    uint64_t landlock_handled_net;
    uint64_t landlock_scopes;
    const struct cordon_landlock_path_rule *landlock_paths;
    size_t landlock_path_count;
    const struct cordon_landlock_port_rule *landlock_ports;
    size_t landlock_port_count;
    const struct cordon_seccomp_program *seccomp;
    size_t seccomp_count;
    const struct cordon_rlimit *rlimits;
    size_t rlimit_count;
    int pseudo_terminal;          /* open a pty in the new devpts and send the master */
    const char *ptmx_path;        /* inside the final root */
    const struct cordon_listener *listeners;
    size_t listener_count;
    /* v2 groups: cgroup.procs files the parent writes the child's pid to (cordon_spawn_join). */
    const char *const *cgroup_procs;
    size_t cgroup_procs_count;
    /* v1 groups: the spawning thread moves itself into each (writing 0 to its tasks file) just
       before the clone, so that the child is born inside, and back to its own groups
       (cgroup_leave_tasks, one per entered group) just after. A thread that moves itself needs
       no grace period of the kernel's threadgroup lock; moving another process waits for one
       (about 10 ms). */
    const char *const *cgroup_enter_tasks;
    const char *const *cgroup_leave_tasks;
    size_t cgroup_tasks_count;
    const char *staging_base;     /* host directory the staging tmpfs is mounted on */
    /* With pseudo_terminal: bit n set means standard stream n is the pty; the others stay as
       inherited (never a terminal: the launcher checks). */
    uint32_t terminal_streams;
    /* The pty's window size, set before the program starts so that its first TIOCGWINSZ sees
       the person's size; 0 rows and 0 columns leave the kernel's default. */
    uint16_t terminal_rows, terminal_columns, terminal_x_pixels, terminal_y_pixels;
    uint16_t local_port_first;    /* ephemeral port range of the new network namespace; */
    uint16_t local_port_last;     /* 0 and 0 keep the kernel's */
};

/* Where the launch stopped: the step, the errno and the index into the step's list. */
enum cordon_step {
    CORDON_STEP_NONE = 0,
    CORDON_STEP_PIPE,
    CORDON_STEP_CLONE,
    CORDON_STEP_SETGROUPS,
    CORDON_STEP_UID_MAP,
    CORDON_STEP_GID_MAP,
    CORDON_STEP_CGROUP_JOIN,
    CORDON_STEP_SYNC,
    CORDON_STEP_PARENT_DEATH_SIGNAL,
    CORDON_STEP_MOUNT_PRIVATE,
    CORDON_STEP_STAGING_TMPFS,
    CORDON_STEP_STAGING_PIVOT,
    CORDON_STEP_ROOT_TMPFS,
    CORDON_STEP_MOUNT_MKDIR,
    CORDON_STEP_MOUNT_CREATE,
    CORDON_STEP_MOUNT,
    CORDON_STEP_MOUNT_ATTRIBUTES,
    CORDON_STEP_PROC_PROTECT,
    CORDON_STEP_PIVOT_ROOT,
    CORDON_STEP_DETACH_OLD_ROOT,
    CORDON_STEP_WORKING_DIRECTORY,
    CORDON_STEP_HOSTNAME,
    CORDON_STEP_LOOPBACK,
    CORDON_STEP_LISTENER,
    CORDON_STEP_TERMINAL,
    CORDON_STEP_SEND_DESCRIPTORS,
    CORDON_STEP_RLIMIT,
    CORDON_STEP_CAPABILITY_BOUNDING,
    CORDON_STEP_CAPABILITY_AMBIENT,
    CORDON_STEP_NO_NEW_PRIVS,
    CORDON_STEP_DUMPABLE,
    CORDON_STEP_LANDLOCK_RULESET,
    CORDON_STEP_LANDLOCK_PATH,
    CORDON_STEP_LANDLOCK_PORT,
    CORDON_STEP_LANDLOCK_RESTRICT,
    CORDON_STEP_CAPABILITIES,
    CORDON_STEP_FORK,
    CORDON_STEP_SESSION,
    CORDON_STEP_CONTROLLING_TERMINAL,
    CORDON_STEP_STANDARD_STREAMS,
    CORDON_STEP_CLOSE_DESCRIPTORS,
    CORDON_STEP_SECCOMP,
    CORDON_STEP_EXEC,
    CORDON_STEP_LOCAL_PORT_RANGE,
};

struct cordon_spawn_result {
    pid_t pid;                    /* host pid of the sandbox's first process */
    int pidfd;
    int channel;                  /* receives descriptors, then the program's wait status */
    int error_pipe;               /* a failure record from the child, or EOF at the program's exec */
    int sync;                     /* the byte that lets the child read its spec (cordon_spawn_go) */
    int step;                     /* enum cordon_step, CORDON_STEP_NONE on success */
    int error;                    /* errno of the failed step */
    int index;                    /* index into the step's list, or -1 */
};

/* Clones the sandbox; returns 0 once the child runs in its namespaces with its ids mapped, -1
   with result->step/error/index set otherwise (the child then killed and reaped). Until
   cordon_spawn_go the child only waits, and only the spec's namespaces, ids and cgroup thread
   moves have been read: the rest of the spec may be written meanwhile, in memory the child
   shares. After it, the child builds its view and confines itself, sends its descriptors, and
   then waits again: it joins its cgroups with cordon_spawn_join and starts the program only
   with cordon_spawn_release. Must be C: the child runs between clone and exec, where only
   async-signal-safe code may run. */
int cordon_spawn(const struct cordon_launch_spec *spec, struct cordon_spawn_result *result);

/* Lets a child from cordon_spawn apply the whole spec, which it finds at `spec` (in memory it
   shares with this process; the spec it was cloned with may still be in use until then); -1
   with the child killed and reaped when it cannot be told. A child whose sync descriptor is
   closed without the message exits at once. */
int cordon_spawn_go(struct cordon_spawn_result *result, const struct cordon_launch_spec *spec);

/* Moves a child from cordon_spawn into the spec's cgroups (each move waits for an RCU grace
   period, which the child's own set-up hides); -1 with the child killed and reaped when a
   move fails. */
int cordon_spawn_join(const struct cordon_launch_spec *spec, struct cordon_spawn_result *result);

/* Lets a child from cordon_spawn start its program; returns 0 once the program has been
   exec'd, -1 with result->step/error/index set when the child failed (it is then killed).
   Closes result->error_pipe. */
int cordon_spawn_release(struct cordon_spawn_result *result);

/* For a child that will not be released: kills it, reads the failure it may have reported
   before (into result->step/error/index) and closes result->error_pipe. */
void cordon_spawn_abandon(struct cordon_spawn_result *result);

/* For a child from cordon_spawn that will never be told to go: kills and reaps it and closes
   its descriptors. */
void cordon_spawn_discard(struct cordon_spawn_result *result);

/* Receives up to max descriptors sent with SCM_RIGHTS in one message; returns the count or -1.
   C because the CMSG_* macros do not import into Swift. */
int cordon_receive_descriptors(int socket, int *descriptors, int max);

/* Waits until the sandbox's reaper sent the program's wait status, which it does before it
   exits, or until the reaper is gone without sending it (killed); 0 with *status set in the
   first case, -1 in the second. The status so arrives before the kernel has torn down the
   sandbox's namespaces, which the reaper's exit waits for. */
int cordon_await_wait_status(int channel, int pidfd, int *status);

/* A non-blocking, close-on-exec eventfd, or -1 with errno set (sys/eventfd.h does not import
   into Swift). */
int cordon_eventfd(void);

/* Landlock ABI version, or -errno. The syscall has no libc wrapper. */
int cordon_landlock_abi(void);

/* 0 when seccomp filters can be installed, -errno otherwise. */
int cordon_seccomp_filter_available(void);

/* 0 when SECCOMP_RET_USER_NOTIF is available, -errno otherwise. */
int cordon_seccomp_user_notification_available(void);

/* 0 when the caller can create a user namespace, -errno otherwise (clones a child that exits). */
int cordon_user_namespace_available(void);

/* Opens a new pty master (close-on-exec, not a controlling terminal) in the host's devpts,
   unlocks it and writes the slave's path; the master or -errno. ioctl is variadic. */
int cordon_open_pseudo_terminal(char *slave_path, size_t size);

/* pidfd_open(2), no libc wrapper on Debian 12. A descriptor or -errno. */
int cordon_pidfd_open(pid_t pid);

/* pidfd_send_signal(2), no libc wrapper on Debian 12. 0 or -errno. */
int cordon_pidfd_send_signal(int pidfd, int signal);

/* Terminal calls of the supervisor's relay. C because ioctl and fcntl are variadic; each
   returns 0 (or the value asked for) or -errno. */

/* Layout-compatible with struct winsize. */
struct cordon_window_size {
    uint16_t rows;
    uint16_t columns;
    uint16_t x_pixels;
    uint16_t y_pixels;
};

/* TIOCGWINSZ. */
int cordon_terminal_get_window_size(int fd, struct cordon_window_size *size);

/* TIOCSWINSZ; on a pty master the kernel then sends SIGWINCH to the slave's foreground group. */
int cordon_terminal_set_window_size(int fd, const struct cordon_window_size *size);

/* TIOCSIG: sends `signal` to the foreground process group of the pty whose master is `master`,
   as the line discipline would for a key, across pid namespaces. */
int cordon_terminal_send_signal(int master, int signal);

/* fcntl F_GETFL/F_SETFL: adds O_NONBLOCK. */
int cordon_set_nonblocking(int fd);

/* fcntl F_GETFD/F_SETFD: adds FD_CLOEXEC. */
int cordon_set_close_on_exec(int fd);

/* prctl PR_SET_NAME: names the calling thread (the kernel keeps the first 15 bytes). */
int cordon_name_this_thread(const char *name);

/* In the child, inside its new network namespace and before the pivot into the new root: sets
   net.ipv4.ip_local_port_range (a per-namespace sysctl) to the spec's range, so that servers the
   program binds to port 0 land on ports its Landlock connect rules cover; `staged` when the host's
   /proc is beneath the staging old root. Fails the launch at its own step when the kernel
   refuses. */
void cordon_netns_set_local_ports(const struct cordon_launch_spec *spec, int staged, int error_pipe);

#endif
