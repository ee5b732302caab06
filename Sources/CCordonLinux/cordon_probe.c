/* Kernel feature probes and syscalls without libc wrappers on Debian 12. */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <pthread.h>
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

static int exit_at_once(void *unused) {
    (void)unused;
    return 0;
}

int cordon_user_namespace_available(void) {
    /* Sysctls and security modules can each refuse; only trying tells. The child shares this
       process's memory and the caller sleeps until it exits (vfork's way), so the probe copies
       no page tables of a large supervisor; it runs nothing but a return, on a stack carved from
       the sleeping caller's own (so concurrent probes share nothing). */
    char stack[16384] __attribute__((aligned(16)));
    /* Blocked so that no handler of this process runs on the child's borrowed stack. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = clone(exit_at_once, stack + sizeof stack, CLONE_VM | CLONE_VFORK | CLONE_NEWUSER | SIGCHLD, NULL);
    int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) return -clone_error;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -errno;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPERM;
}

int cordon_pidfd_open(pid_t pid) {
    long fd = syscall(__NR_pidfd_open, pid, 0U);
    return fd < 0 ? -errno : (int)fd;
}

int cordon_pidfd_send_signal(int pidfd, int signal) {
    return syscall(__NR_pidfd_send_signal, pidfd, signal, NULL, 0U) < 0 ? -errno : 0;
}

int cordon_open_pseudo_terminal(char *slave_path, size_t size) {
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -errno;
    int unlock = 0, number = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &number) < 0) {
        int saved = errno;
        close(master);
        return -saved;
    }
    snprintf(slave_path, size, "/dev/pts/%d", number);
    return master;
}
