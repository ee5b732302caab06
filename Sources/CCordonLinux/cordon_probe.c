/* Kernel feature probes and syscalls without libc wrappers on Debian 12. */
#include "cordon_internal.h"
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int cordon_landlock_abi(void) {
    long abi = syscall(__NR_landlock_create_ruleset, NULL, 0UL, CORDON_LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? -errno : (int)abi;
}

int cordon_seccomp_filter_available(void) {
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) return -errno;
    uint32_t action = CORDON_SECCOMP_RET_ERRNO;
    return syscall(SYS_seccomp, CORDON_SECCOMP_GET_ACTION_AVAIL, 0U, &action) < 0 ? -errno : 0;
}

int cordon_seccomp_user_notification_available(void) {
    uint32_t action = CORDON_SECCOMP_RET_USER_NOTIF;
    return syscall(SYS_seccomp, CORDON_SECCOMP_GET_ACTION_AVAIL, 0U, &action) < 0 ? -errno : 0;
}

int cordon_user_namespace_available(void) {
    /* Sysctls and security modules can each refuse; only trying tells. */
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
    if (pid < 0) return -errno;
    if (pid == 0) _exit(0);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -errno;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPERM;
}

int cordon_pidfd_send_signal(int pidfd, int signal) {
    return syscall(__NR_pidfd_send_signal, pidfd, signal, NULL, 0U) < 0 ? -errno : 0;
}
