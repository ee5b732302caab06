#ifndef CORDON_INTERNAL_H
#define CORDON_INTERNAL_H
/* Kernel constants and structs Debian 12's headers lack, and the child's internal interface. */

#define _GNU_SOURCE
#include "include/cordon_linux.h"
#include <stdint.h>
#include <sys/syscall.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif
#ifndef __NR_close_range
#define __NR_close_range 436
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif

/* Landlock, through ABI 7 (linux/landlock.h on Debian 12 stops at ABI 2). */
#define CORDON_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define CORDON_LANDLOCK_RULE_PATH_BENEATH 1
#define CORDON_LANDLOCK_RULE_NET_PORT 2
/* Rights that apply to a non-directory: execute, write, read, truncate (ABI 3), ioctl_dev (ABI 5). */
#define CORDON_LANDLOCK_FILE_RIGHTS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))

struct cordon_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4 */
    uint64_t scoped;             /* ABI 6 */
};

struct cordon_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

struct cordon_landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

/* mount_setattr(2), declared here so that <sys/mount.h> and <linux/mount.h> need not meet. */
struct cordon_mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};
#define CORDON_MOUNT_ATTR_RDONLY 0x00000001ULL
#define CORDON_MOUNT_ATTR_NOSUID 0x00000002ULL
#define CORDON_MOUNT_ATTR_NODEV 0x00000004ULL
#define CORDON_MOUNT_ATTR_NOEXEC 0x00000008ULL
#define CORDON_AT_RECURSIVE 0x8000

#define CORDON_SECCOMP_SET_MODE_FILTER 1
#define CORDON_SECCOMP_GET_ACTION_AVAIL 2
#define CORDON_SECCOMP_RET_ERRNO 0x00050000U
#define CORDON_SECCOMP_RET_USER_NOTIF 0x7fc00000U

/* What the child writes to the error pipe before it exits. */
struct cordon_failure {
    int32_t step;
    int32_t error;
    int32_t index;
};

/* The child's descriptors. */
struct cordon_child_fds {
    int error_pipe;
    int sync_pipe;
    int channel;
};

/* Never returns: applies the spec and execs, or reports a failure and exits. */
__attribute__((noreturn)) void cordon_child_main(const struct cordon_launch_spec *spec, struct cordon_child_fds fds);

/* Report a failure over the error pipe and exit. */
__attribute__((noreturn)) void cordon_child_fail(int error_pipe, int step, int error, int index);

/* Before the go: makes the mount tree private, stages the new root on a tmpfs and applies the
   spec's base mounts. */
void cordon_child_stage_root(const struct cordon_launch_spec *spec, int error_pipe);
/* After the go: applies the other mounts, pivots into the new root and detaches the host's. */
void cordon_child_finish_root(const struct cordon_launch_spec *spec, int error_pipe);

/* Landlock, capabilities, rlimits; each reports and exits on failure. */
void cordon_child_limit_resources(const struct cordon_launch_spec *spec, int error_pipe);
void cordon_child_drop_privileges(const struct cordon_launch_spec *spec, int error_pipe);
void cordon_child_apply_landlock(const struct cordon_launch_spec *spec, int error_pipe);
void cordon_child_clear_capabilities(int error_pipe);
void cordon_child_apply_seccomp(const struct cordon_launch_spec *spec, int error_pipe);

/* Writes all of a buffer, retrying on EINTR; 0 or -1. */
int cordon_write_all(int fd, const void *buffer, size_t length);

#endif
