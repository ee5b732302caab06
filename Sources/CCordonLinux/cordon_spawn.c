/* The parent's half of a launch: clone, write the id maps, join the cgroups; later release
   the child and wait for its exec or its failure report. C because the clone returns twice
   and the child must not run Swift. */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int cordon_write_all(int fd, const void *buffer, size_t length) {
    const char *p = buffer;
    while (length > 0) {
        ssize_t n = write(fd, p, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        length -= (size_t)n;
    }
    return 0;
}

static unsigned long clone_flags(uint32_t namespaces) {
    unsigned long flags = 0;
    if (namespaces & CORDON_NS_USER) flags |= CLONE_NEWUSER;
    if (namespaces & CORDON_NS_MOUNT) flags |= CLONE_NEWNS;
    if (namespaces & CORDON_NS_PID) flags |= CLONE_NEWPID;
    if (namespaces & CORDON_NS_IPC) flags |= CLONE_NEWIPC;
    if (namespaces & CORDON_NS_UTS) flags |= CLONE_NEWUTS;
    if (namespaces & CORDON_NS_NET) flags |= CLONE_NEWNET;
    if (namespaces & CORDON_NS_CGROUP) flags |= CLONE_NEWCGROUP;
    return flags;
}

/* Writes `text` to the existing file `path`; -1 with errno of the failed call. */
static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = cordon_write_all(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

static int write_proc_file(pid_t pid, const char *name, const char *text) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    return write_file(path, text);
}

static int write_id_maps(const struct cordon_launch_spec *spec, pid_t pid, int *step) {
    char map[64];
    *step = CORDON_STEP_SETGROUPS;
    if (write_proc_file(pid, "setgroups", "deny") < 0) return -1;
    *step = CORDON_STEP_UID_MAP;
    snprintf(map, sizeof map, "%u %u 1\n", spec->inside_uid, spec->outside_uid);
    if (write_proc_file(pid, "uid_map", map) < 0) return -1;
    *step = CORDON_STEP_GID_MAP;
    snprintf(map, sizeof map, "%u %u 1\n", spec->inside_gid, spec->outside_gid);
    if (write_proc_file(pid, "gid_map", map) < 0) return -1;
    return 0;
}

static int join_cgroups(const struct cordon_launch_spec *spec, pid_t pid, int *index) {
    char text[16];
    snprintf(text, sizeof text, "%d", (int)pid);
    for (size_t i = 0; i < spec->cgroup_procs_count; i++) {
        *index = (int)i;
        if (write_file(spec->cgroup_procs[i], text) < 0) return -1;
    }
    return 0;
}

/* Moves the calling thread into the group whose tasks file is `path` (pid 0 is the caller). */
static int move_this_thread(const char *path) { return write_file(path, "0"); }

/* Leaves the first `count` entered v1 groups; on failure *index names the group. */
static int leave_groups(const struct cordon_launch_spec *spec, size_t count, int *index) {
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
        if (move_this_thread(spec->cgroup_leave_tasks[i]) < 0 && rc == 0) {
            *index = (int)i;
            rc = -1;
        }
    }
    return rc;
}

static void fail_result(struct cordon_spawn_result *result, int step, int error, int index) {
    result->step = step;
    result->error = error;
    result->index = index;
}

/* Ends a launch the parent could not carry on: kills and reaps the child and closes its
   descriptors. A child that failed first explains more than the parent's step. */
static void give_up(struct cordon_spawn_result *result, int step, int error, int index) {
    cordon_spawn_abandon(result);
    if (result->sync >= 0) close(result->sync);
    result->sync = -1;
    if (result->step == CORDON_STEP_NONE) fail_result(result, step, error, index);
    while (waitpid(result->pid, NULL, 0) < 0 && errno == EINTR) {}
    close(result->pidfd);
    close(result->channel);
    result->pid = -1;
    result->pidfd = -1;
    result->channel = -1;
}

int cordon_spawn(const struct cordon_launch_spec *spec, struct cordon_spawn_result *result) {
    int error_pipe[2], sync_pipe[2], channel[2];
    result->pid = -1;
    result->pidfd = -1;
    result->channel = -1;
    result->error_pipe = -1;
    result->sync = -1;
    fail_result(result, CORDON_STEP_NONE, 0, -1);

    if (pipe2(error_pipe, O_CLOEXEC) < 0) {
        fail_result(result, CORDON_STEP_PIPE, errno, -1);
        return -1;
    }
    if (pipe2(sync_pipe, O_CLOEXEC) < 0) {
        fail_result(result, CORDON_STEP_PIPE, errno, -1);
        close(error_pipe[0]);
        close(error_pipe[1]);
        return -1;
    }
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) < 0) {
        fail_result(result, CORDON_STEP_PIPE, errno, -1);
        close(error_pipe[0]);
        close(error_pipe[1]);
        close(sync_pipe[0]);
        close(sync_pipe[1]);
        return -1;
    }

    for (size_t i = 0; i < spec->cgroup_tasks_count; i++) {
        if (move_this_thread(spec->cgroup_enter_tasks[i]) < 0) {
            int error = errno, ignored;
            leave_groups(spec, i, &ignored);
            fail_result(result, CORDON_STEP_CGROUP_JOIN, error, (int)i);
            close(error_pipe[0]);
            close(error_pipe[1]);
            close(sync_pipe[0]);
            close(sync_pipe[1]);
            close(channel[0]);
            close(channel[1]);
            return -1;
        }
    }

    int pidfd = -1;
    unsigned long flags = clone_flags(spec->namespaces) | CLONE_PIDFD | SIGCHLD;
    /* A raw clone: the child runs on a copy of this stack, like fork, without glibc's atfork work. */
    /* Blocked across the clone so no handler of this process runs in the child before it
       resets them all. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t pid = (pid_t)syscall(SYS_clone, flags, 0UL, &pidfd, 0UL, 0UL);
    if (pid == 0) {
        close(error_pipe[0]);
        close(sync_pipe[1]);
        close(channel[0]);
        struct cordon_child_fds fds = {error_pipe[1], sync_pipe[0], channel[1]};
        cordon_child_main(spec, fds);
    }
    int clone_error = errno;
    int leave_index = -1;
    int left = leave_groups(spec, spec->cgroup_tasks_count, &leave_index);
    int leave_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(error_pipe[1]);
    close(sync_pipe[0]);
    close(channel[1]);
    if (pid < 0) {
        fail_result(result, CORDON_STEP_CLONE, clone_error, -1);
        close(error_pipe[0]);
        close(sync_pipe[1]);
        close(channel[0]);
        return -1;
    }

    int step = CORDON_STEP_NONE, error = 0, index = -1;
    int rc = 0;
    /* A thread left in a session's group would count against its limits and keep it. */
    if (left < 0) {
        step = CORDON_STEP_CGROUP_JOIN;
        index = leave_index;
        error = leave_error;
        rc = -1;
    }
    if (rc == 0 && (spec->namespaces & CORDON_NS_USER)) {
        rc = write_id_maps(spec, pid, &step);
        if (rc < 0) error = errno;
    }
    result->pid = pid;
    result->pidfd = pidfd;
    result->channel = channel[0];
    result->error_pipe = error_pipe[0];
    result->sync = sync_pipe[1];
    if (rc < 0) {
        give_up(result, step, error, index);
        return -1;
    }
    /* Its ids are mapped: it may mount the base of its view now. */
    char mapped = 1;
    if (cordon_write_all(result->sync, &mapped, 1) < 0) {
        give_up(result, CORDON_STEP_SYNC, errno, -1);
        return -1;
    }
    return 0;
}

int cordon_spawn_go(struct cordon_spawn_result *result, const struct cordon_launch_spec *spec) {
    int rc = cordon_write_all(result->sync, &spec, sizeof spec);
    int error = errno;
    close(result->sync);
    result->sync = -1;
    if (rc < 0) {
        give_up(result, CORDON_STEP_SYNC, error, -1);
        return -1;
    }
    return 0;
}

int cordon_spawn_join(const struct cordon_launch_spec *spec, struct cordon_spawn_result *result) {
    int index = -1;
    if (spec->cgroup_procs_count > 0 && join_cgroups(spec, result->pid, &index) < 0) {
        give_up(result, CORDON_STEP_CGROUP_JOIN, errno, index);
        return -1;
    }
    return 0;
}

/* Reads the child's failure record, if it wrote one, until EOF. */
static ssize_t read_failure(struct cordon_spawn_result *result) {
    struct cordon_failure failure = {0, 0, -1};
    ssize_t n;
    do {
        n = read(result->error_pipe, &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    int saved = errno;
    close(result->error_pipe);
    result->error_pipe = -1;
    if (n == (ssize_t)sizeof failure) fail_result(result, failure.step, failure.error, failure.index);
    else if (n != 0) fail_result(result, CORDON_STEP_SYNC, n < 0 ? saved : EPROTO, -1);
    return n;
}

int cordon_spawn_release(struct cordon_spawn_result *result) {
    /* The child starts no program before this byte. */
    char release = 1;
    if (send(result->channel, &release, 1, MSG_NOSIGNAL) != 1) {
        int error = errno;
        cordon_spawn_abandon(result);
        if (result->step == CORDON_STEP_NONE) fail_result(result, CORDON_STEP_SYNC, error, -1);
        return -1;
    }
    if (read_failure(result) == 0) return 0;
    kill(result->pid, SIGKILL);
    return -1;
}

void cordon_spawn_discard(struct cordon_spawn_result *result) {
    give_up(result, CORDON_STEP_NONE, 0, -1);
}

void cordon_spawn_abandon(struct cordon_spawn_result *result) {
    /* A child waiting for the release would never close the error pipe. */
    kill(result->pid, SIGKILL);
    if (result->error_pipe >= 0) read_failure(result);
}

int cordon_receive_descriptors(int socket, int *descriptors, int max) {
    char byte;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr header;
        char buffer[CMSG_SPACE(sizeof(int) * 64)];
    } control;
    if (max > 64) max = 64;
    struct msghdr message = {0};
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)max);
    ssize_t n;
    do {
        n = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    int count = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c != NULL; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int received = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *fds = (int *)CMSG_DATA(c);
        for (int i = 0; i < received; i++) {
            if (count < max) descriptors[count++] = fds[i];
            else close(fds[i]);
        }
    }
    if (message.msg_flags & MSG_CTRUNC) {
        for (int i = 0; i < count; i++) close(descriptors[i]);
        errno = EMSGSIZE;
        return -1;
    }
    return count;
}

int cordon_await_wait_status(int channel, int pidfd, int *status) {
    /* The pidfd turns readable once the reaper has exited; the channel, when it sent the status
       or closed without it. */
    struct pollfd fds[2] = {{channel, POLLIN, 0}, {pidfd, POLLIN, 0}};
    while (poll(fds, 2, -1) < 0) {
        if (errno != EINTR) return -1;
    }
    int32_t value;
    ssize_t n;
    do {
        n = recv(channel, &value, sizeof value, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof value) return -1;
    *status = value;
    return 0;
}

int cordon_eventfd(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }
