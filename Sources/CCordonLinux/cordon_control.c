#define _GNU_SOURCE
#include "cordon_control.h"

#include <sys/socket.h>

#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* _IO(PIDFS_IOCTL_MAGIC 0xFF, 9), from linux/pidfd.h of Linux 6.11. */
#define CORDON_PIDFD_GET_USER_NAMESPACE _IO(0xFF, 9)

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int cordon_control_pidfd_user_namespace(int pidfd) {
    return ioctl(pidfd, CORDON_PIDFD_GET_USER_NAMESPACE, 0);
}

int cordon_control_pidfd_alive(int pidfd) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, 0, (void *)0, 0);
}

int cordon_control_peer_credentials(int fd, int *pid, unsigned *uid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    return 0;
}

int cordon_control_accept(int fd) {
    return accept4(fd, NULL, NULL, SOCK_CLOEXEC);
}
