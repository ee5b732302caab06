#ifndef CORDON_CONTROL_H
#define CORDON_CONTROL_H
/* Peer checks for the per-user control socket. In C because they need ioctl and syscall, which
   are variadic, and constants newer than Debian 12's headers. */

/* SO_PEERPIDFD (Linux 6.5): a pidfd for the process that connected a unix socket. */
#define CORDON_SO_PEERPIDFD 77

/* ioctl(pidfd, PIDFD_GET_USER_NAMESPACE) (Linux 6.11): a descriptor for the user namespace of
   the process behind pidfd, without going through /proc/PID (whose PID may be reused). Returns
   the new descriptor, or -1 with errno set. */
int cordon_control_pidfd_user_namespace(int pidfd);

/* getsockopt(SO_PEERCRED): struct ucred needs _GNU_SOURCE, which Swift's Glibc module lacks.
   Returns 0, or -1 with errno set. */
int cordon_control_peer_credentials(int fd, int *pid, unsigned *uid);

/* accept4(fd, NULL, NULL, SOCK_CLOEXEC): accept4 is a GNU extension hidden from Swift. */
int cordon_control_accept(int fd);

/* pidfd_send_signal(pidfd, 0, NULL, 0): 0 while the process lives, -1 with errno ESRCH after. */
int cordon_control_pidfd_alive(int pidfd);
#endif
