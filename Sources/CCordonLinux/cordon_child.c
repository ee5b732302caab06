/* The child between clone and exec: async-signal-safe code only (raw syscalls, no allocation,
   no locks), since it is a copy of a multithreaded Swift process. It becomes the sandbox's
   first process, applies the plan, forks the program and reaps until the program exits. */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define CORDON_MAX_PASSED_FDS 64

/* Signals the first process passes on to the program; pid 1 of a pid namespace ignores every
   signal it has no handler for. */
static const int forwarded_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGCONT, SIGWINCH};
#define FORWARDED_COUNT (sizeof forwarded_signals / sizeof forwarded_signals[0])

static volatile pid_t program_pid;

void cordon_child_fail(int error_pipe, int step, int error, int index) {
    struct cordon_failure failure = {step, error, index};
    cordon_write_all(error_pipe, &failure, sizeof failure);
    _exit(127);
}

static void forward_signal(int signal) {
    int saved = errno;
    if (program_pid > 0) kill(program_pid, signal);
    errno = saved;
}

static void bring_loopback_up(int error_pipe) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) cordon_child_fail(error_pipe, CORDON_STEP_LOOPBACK, errno, -1);
    struct ifreq request;
    memset(&request, 0, sizeof request);
    memcpy(request.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &request) < 0) cordon_child_fail(error_pipe, CORDON_STEP_LOOPBACK, errno, -1);
    request.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &request) < 0) cordon_child_fail(error_pipe, CORDON_STEP_LOOPBACK, errno, -1);
    close(fd);
}

static int open_listener(const struct cordon_listener *listener, int error_pipe, int index) {
    int fd = socket(listener->address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) cordon_child_fail(error_pipe, CORDON_STEP_LISTENER, errno, index);
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_LISTENER, errno, index);
    if (listener->address.ss_family == AF_INET6 &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_LISTENER, errno, index);
    if (bind(fd, (const struct sockaddr *)&listener->address, listener->address_length) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_LISTENER, errno, index);
    if (listen(fd, SOMAXCONN) < 0) cordon_child_fail(error_pipe, CORDON_STEP_LISTENER, errno, index);
    return fd;
}

static void send_descriptors(int channel, const int *fds, int count, int error_pipe) {
    char byte = 0;
    struct iovec iov = {&byte, 1};
    union {
        struct cmsghdr header;
        char buffer[CMSG_SPACE(sizeof(int) * CORDON_MAX_PASSED_FDS)];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)count);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
    memcpy(CMSG_DATA(header), fds, sizeof(int) * (size_t)count);
    ssize_t n;
    do {
        n = sendmsg(channel, &message, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) cordon_child_fail(error_pipe, CORDON_STEP_SEND_DESCRIPTORS, errno, -1);
}

/* Tries each PATH entry the way execvpe does, without its allocation. */
static void exec_program(const struct cordon_launch_spec *spec, int error_pipe) {
    const char *name = spec->argv[0];
    char *const *argv = (char *const *)spec->argv;
    char *const *envp = (char *const *)spec->envp;
    if (strchr(name, '/') != NULL || spec->search_path == NULL) {
        execve(name, argv, envp);
        cordon_child_fail(error_pipe, CORDON_STEP_EXEC, errno, -1);
    }
    size_t name_length = strlen(name);
    int last_error = ENOENT, saw_access = 0;
    char candidate[4096];
    const char *entry = spec->search_path;
    for (;;) {
        const char *end = strchr(entry, ':');
        size_t length = end ? (size_t)(end - entry) : strlen(entry);
        if (length == 0) {
            entry = ".";
            length = 1;
        }
        if (length + 1 + name_length + 1 <= sizeof candidate) {
            memcpy(candidate, entry, length);
            candidate[length] = '/';
            memcpy(candidate + length + 1, name, name_length + 1);
            execve(candidate, argv, envp);
            if (errno == EACCES) saw_access = 1;
            else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != ENAMETOOLONG)
                last_error = errno;
        }
        if (end == NULL) break;
        entry = end + 1;
    }
    cordon_child_fail(error_pipe, CORDON_STEP_EXEC, saw_access ? EACCES : last_error, -1);
}

/* Closes every descriptor from 3 up except `first` and `second` (either may be -1). */
static void close_descriptors_except(int first, int second, int error_pipe) {
    int low = first < second ? first : second, high = first < second ? second : first;
    unsigned next = 3;
    int keep[2] = {low, high};
    for (int i = 0; i < 2; i++) {
        if (keep[i] < (int)next) continue;
        if (keep[i] > (int)next && syscall(__NR_close_range, next, (unsigned)keep[i] - 1, 0U) < 0)
            cordon_child_fail(error_pipe, CORDON_STEP_CLOSE_DESCRIPTORS, errno, -1);
        next = (unsigned)keep[i] + 1;
    }
    if (syscall(__NR_close_range, next, ~0U, 0U) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_CLOSE_DESCRIPTORS, errno, -1);
}

/* The program's process, under the seccomp filters it inherited: its own session and
   terminal, then exec. */
__attribute__((noreturn)) static void run_program(const struct cordon_launch_spec *spec, struct cordon_child_fds fds,
                                                  int terminal, mode_t umask_value) {
    int error_pipe = fds.error_pipe;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_PARENT_DEATH_SIGNAL, errno, -1);
    /* A session of its own in both modes: with inherited pipes this detaches the program from
       the supervisor's controlling terminal, which /dev/tty would otherwise reach. */
    if (setsid() < 0) cordon_child_fail(error_pipe, CORDON_STEP_SESSION, errno, -1);
    if (terminal >= 0) {
        if (ioctl(terminal, TIOCSCTTY, 0) < 0) cordon_child_fail(error_pipe, CORDON_STEP_CONTROLLING_TERMINAL, errno, -1);
        /* Only the streams that were terminals outside; pipes and files stay what they are. */
        for (int stream = 0; stream < 3; stream++) {
            if ((spec->terminal_streams & (1U << stream)) && dup2(terminal, stream) < 0)
                cordon_child_fail(error_pipe, CORDON_STEP_STANDARD_STREAMS, errno, stream);
        }
    }
    if (spec->layers & CORDON_LAYER_PROCESS) close_descriptors_except(error_pipe, -1, error_pipe);
    else if (terminal > 2) close(terminal);
    umask(umask_value);
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    exec_program(spec, error_pipe);
    _exit(127);
}

/* What the program's process starts from. */
struct program_start {
    const struct cordon_launch_spec *spec;
    struct cordon_child_fds fds;
    int terminal;
    mode_t umask_value;
};

static int start_program(void *argument) {
    const struct program_start *start = argument;
    run_program(start->spec, start->fds, start->terminal, start->umask_value);
}

/* The first process after the program started: reap everything, pass signals on, and hand
   the program's raw wait status to the supervisor. */
__attribute__((noreturn)) static void reap(const struct cordon_launch_spec *spec, struct cordon_child_fds fds) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward_signal;
    action.sa_flags = SA_RESTART;
    for (size_t i = 0; i < FORWARDED_COUNT; i++) sigaction(forwarded_signals[i], &action, NULL);
    close(fds.error_pipe);
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    for (;;) {
        int status;
        pid_t pid = wait4(-1, &status, 0, NULL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            _exit(127);
        }
        if (pid == program_pid) {
            int32_t value = status;
            send(fds.channel, &value, sizeof value, MSG_NOSIGNAL);
            if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
            _exit(128 + WTERMSIG(status));
        }
    }
}

/* Reads the parent's next message of `size` bytes; a closed pipe (the launch was dropped) ends
   this process. */
static void await_parent(int sync_pipe, void *message, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(sync_pipe, (char *)message + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(127);
        done += (size_t)n;
    }
}

void cordon_child_main(const struct cordon_launch_spec *spec, struct cordon_child_fds fds) {
    int error_pipe = fds.error_pipe;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_PARENT_DEATH_SIGNAL, errno, -1);
    /* The supervisor's threads may block signals, ignore SIGPIPE or handle signals with Swift
       code; the sandbox starts from the defaults. */
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &default_action, NULL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    mode_t umask_value = umask(0);

    /* The spec this process was cloned with may hold only the plan's shape: the base of the
       view is mounted once the parent has mapped this process's ids, while the supervisor
       writes the whole spec elsewhere; the go says where. */
    char mapped;
    await_parent(fds.sync_pipe, &mapped, sizeof mapped);
    int stage = (spec->layers & CORDON_LAYER_VIEW) && (spec->namespaces & CORDON_NS_MOUNT);
    if (stage) cordon_child_stage_root(spec, error_pipe);
    await_parent(fds.sync_pipe, &spec, sizeof spec);
    close(fds.sync_pipe);

    /* The host's descriptors, including the launch pipes of sandboxes other threads are starting
       at this moment: holding those open would keep their launches from seeing our exec. */
    if (spec->layers & CORDON_LAYER_PROCESS) close_descriptors_except(error_pipe, fds.channel, error_pipe);

    if (spec->namespaces & CORDON_NS_NET) cordon_netns_set_local_ports(spec, stage, error_pipe);
    if (spec->layers & CORDON_LAYER_VIEW) {
        if (stage) cordon_child_finish_root(spec, error_pipe);
        if (spec->working_directory != NULL && chdir(spec->working_directory) < 0)
            cordon_child_fail(error_pipe, CORDON_STEP_WORKING_DIRECTORY, errno, -1);
        if ((spec->namespaces & CORDON_NS_UTS) && spec->hostname != NULL &&
            sethostname(spec->hostname, strlen(spec->hostname)) < 0)
            cordon_child_fail(error_pipe, CORDON_STEP_HOSTNAME, errno, -1);
        if (spec->namespaces & CORDON_NS_NET) bring_loopback_up(error_pipe);
    } else if (spec->working_directory != NULL && chdir(spec->working_directory) < 0) {
        cordon_child_fail(error_pipe, CORDON_STEP_WORKING_DIRECTORY, errno, -1);
    }

    /* Descriptors for the supervisor, created before Landlock and seccomp can refuse them. */
    int passed[CORDON_MAX_PASSED_FDS];
    int passed_count = 0;
    int terminal = -1;
    if (spec->pseudo_terminal) {
        int master = open(spec->ptmx_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0) cordon_child_fail(error_pipe, CORDON_STEP_TERMINAL, errno, -1);
        int unlock = 0;
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0) cordon_child_fail(error_pipe, CORDON_STEP_TERMINAL, errno, -1);
        /* The person's size before the program exists: the supervisor only gets the master once
           the program runs, too late for a size read at start. */
        if (spec->terminal_rows != 0 || spec->terminal_columns != 0) {
            struct winsize size = {spec->terminal_rows, spec->terminal_columns, spec->terminal_x_pixels, spec->terminal_y_pixels};
            if (ioctl(master, TIOCSWINSZ, &size) < 0) cordon_child_fail(error_pipe, CORDON_STEP_TERMINAL, errno, -1);
        }
        terminal = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (terminal < 0) cordon_child_fail(error_pipe, CORDON_STEP_TERMINAL, errno, -1);
        passed[passed_count++] = master;
    }
    /* Out of the person's session and process group, so that keys typed there (Ctrl-C on a
       terminal that is not relayed) reach the sandbox only through the supervisor, once. */
    if (setsid() < 0) cordon_child_fail(error_pipe, CORDON_STEP_SESSION, errno, -1);
    for (size_t i = 0; i < spec->listener_count && passed_count < CORDON_MAX_PASSED_FDS; i++) {
        passed[passed_count++] = open_listener(&spec->listeners[i], error_pipe, (int)i);
    }
    if (passed_count > 0) {
        send_descriptors(fds.channel, passed, passed_count, error_pipe);
        for (int i = 0; i < passed_count; i++) close(passed[i]);
    }

    if (spec->layers & CORDON_LAYER_PROCESS) {
        cordon_child_limit_resources(spec, error_pipe);
        cordon_child_drop_privileges(spec, error_pipe);
    }
    if (spec->layers & CORDON_LAYER_LANDLOCK) cordon_child_apply_landlock(spec, error_pipe);
    if (spec->layers & CORDON_LAYER_PROCESS) cordon_child_clear_capabilities(error_pipe);

    /* The supervisor joins this process to the session's cgroups while the view is built, and
       readies its side of the session (audit record, proxy, control socket) meanwhile; it
       releases the program when all of that is in place, or never. */
    char release = 0;
    ssize_t received;
    do {
        received = recv(fds.channel, &release, 1, 0);
    } while (received < 0 && errno == EINTR);
    if (received != 1) _exit(127);

    /* Installed once, here: the program's process inherits the filters with the clone and
       keeps them across its exec, and this one stays as confined as the program. A filter that
       refuses what the launch itself needs fails that step. */
    if (spec->layers & CORDON_LAYER_SECCOMP) cordon_child_apply_seccomp(spec, error_pipe);
    sigset_t forwarded;
    sigemptyset(&forwarded);
    for (size_t i = 0; i < FORWARDED_COUNT; i++) sigaddset(&forwarded, forwarded_signals[i]);
    sigprocmask(SIG_BLOCK, &forwarded, NULL);
    /* The program's process shares this one's memory until its exec, and this one sleeps
       until then (vfork's way): a fork would copy the page tables of the whole supervisor
       image this process is a copy of, only for the exec to throw them away. It runs on a
       stack carved from this sleeping process's own; its signals are blocked or default, so
       no handler runs on it. */
    char stack[65536] __attribute__((aligned(16)));
    struct program_start start = {spec, fds, terminal, umask_value};
    pid_t pid = clone(start_program, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
    if (pid < 0) cordon_child_fail(error_pipe, CORDON_STEP_FORK, errno, -1);
    program_pid = pid;
    if (terminal >= 0) close(terminal);
    if (!(spec->layers & CORDON_LAYER_PROCESS)) close_descriptors_except(error_pipe, fds.channel, error_pipe);
    reap(spec, fds);
}
