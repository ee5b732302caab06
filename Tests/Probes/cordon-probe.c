/*
 * cordon-probe: tries exactly one escape technique and prints one JSON line
 *   {"probe":"...","outcome":"succeeded"|"blocked"|"error","errno":N,"detail":"..."}
 *
 * It is static so that it runs unchanged inside a sandbox whose view holds no libraries of
 * the test's choosing, and it is C because several techniques (int 0x80, raw ioctl numbers with
 * high bits, clone-free syscalls) cannot be expressed through a language runtime.
 *
 * "succeeded" means the technique reached what it was after (the secret was read, the write
 * landed, the syscall returned a handle); "blocked" means it did not, with the errno seen;
 * "error" means the probe was called wrongly and proved nothing.
 *
 * Two helper modes are not probes: `serve` (the host process the signal, trace, memory, /proc
 * and socket probes aim at) and `add-key` (puts a key in the caller's user keyring).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <linux/vm_sockets.h>
#include <linux/io_uring.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define TIOCL_GETSHIFTSTATE 6
/* The kernel takes the ioctl request as a 32-bit int; a filter comparing all 64 bits misses these. */
#define HIGH_BITS 0xffffffff00000000UL
#define X32_SYSCALL_BIT 0x40000000L
#define I386_GETPID 20

static const char *probe_name = "?";

static void print_json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20 || c >= 0x7f) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static int emit(const char *outcome, int err, const char *fmt, ...) {
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    printf("{\"probe\":");
    print_json_string(probe_name);
    printf(",\"outcome\":\"%s\",\"errno\":%d,\"detail\":", outcome, err);
    print_json_string(detail);
    printf("}\n");
    fflush(stdout);
    return 0;
}

#define SUCCEEDED(...) emit("succeeded", 0, __VA_ARGS__)
#define BLOCKED(e, what) emit("blocked", (e), "%s: %s", (what), strerror(e))
#define PROBE_ERROR(...) emit("error", 0, __VA_ARGS__)

/* Reads up to `cap` bytes; returns the count or -errno. */
static ssize_t read_all(int fd, char *buf, size_t cap) {
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return got ? (ssize_t)got : -errno;
        if (n == 0) break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* The shared verdict for every "did we obtain the secret" probe. */
static int judge_content(const char *what, const char *buf, ssize_t n, const char *marker) {
    if (n < 0) return BLOCKED((int)-n, what);
    if (n == 0) return emit("blocked", 0, "%s: empty (masked or a different file)", what);
    if (marker && !memmem(buf, (size_t)n, marker, strlen(marker)))
        return emit("blocked", 0, "%s: read %zd bytes without the marker (a different object)", what, n);
    return SUCCEEDED("%s: read %zd bytes%s", what, n, marker ? " with the marker" : "");
}

static int read_path(const char *path, const char *marker) {
    static char buf[1 << 16];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return BLOCKED(errno, "open");
    ssize_t n = read_all(fd, buf, sizeof buf);
    close(fd);
    return judge_content("read", buf, n, marker);
}

static int mkdirs_for(const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -errno;
        *p = '/';
    }
    return 0;
}

/* ---- filesystem ---- */

static int p_read_file(int argc, char **argv) { return read_path(argv[0], argc > 1 ? argv[1] : NULL); }

static int p_write_file(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[2], "mkdirs") == 0) {
        int r = mkdirs_for(argv[0]);
        if (r < 0) return BLOCKED(-r, "mkdir parent");
    }
    int fd = open(argv[0], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return BLOCKED(errno, "open for writing");
    char line[512];
    int len = snprintf(line, sizeof line, "%s\n", argv[1]);
    ssize_t n = write(fd, line, (size_t)len);
    int e = errno;
    close(fd);
    if (n != len) return BLOCKED(e, "write");
    return SUCCEEDED("wrote %d bytes", len);
}

/* Writes a sysctl's own value back: proves write access without changing the host. */
static int p_write_proc_sys(int argc, char **argv) {
    (void)argc;
    char value[256];
    int fd = open(argv[0], O_RDONLY | O_CLOEXEC);
    if (fd < 0) return BLOCKED(errno, "open for reading");
    ssize_t n = read_all(fd, value, sizeof value - 1);
    close(fd);
    if (n <= 0) return PROBE_ERROR("cannot read the current value of %s", argv[0]);
    fd = open(argv[0], O_WRONLY | O_CLOEXEC);
    if (fd < 0) return BLOCKED(errno, "open for writing");
    ssize_t w = write(fd, value, (size_t)n);
    int e = errno;
    close(fd);
    if (w < 0) return BLOCKED(e, "write");
    return SUCCEEDED("wrote %zd bytes back to %s", w, argv[0]);
}

static int p_symlink_read(int argc, char **argv) {
    (void)argc;
    if (symlink(argv[1], argv[0]) != 0 && errno != EEXIST) return BLOCKED(errno, "symlink");
    return read_path(argv[0], argv[2]);
}

static int p_hardlink_read(int argc, char **argv) {
    (void)argc;
    if (link(argv[0], argv[1]) != 0) return BLOCKED(errno, "link");
    return read_path(argv[1], argv[2]);
}

static int p_open_by_handle(int argc, char **argv) {
    (void)argc;
    struct { struct file_handle fh; unsigned char space[MAX_HANDLE_SZ]; } h;
    h.fh.handle_bytes = MAX_HANDLE_SZ;
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, argv[0], &h.fh, &mount_id, 0) != 0) return BLOCKED(errno, "name_to_handle_at");
    int mount_fd = open(argv[0], O_RDONLY | O_CLOEXEC);
    if (mount_fd < 0) return BLOCKED(errno, "open mount fd");
    int fd = open_by_handle_at(mount_fd, &h.fh, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return BLOCKED(errno, "open_by_handle_at");
    return SUCCEEDED("open_by_handle_at returned fd %d", fd);
}

static int p_inherited_fd(int argc, char **argv) {
    (void)argc;
    static char buf[4096];
    ssize_t n = pread(atoi(argv[0]), buf, sizeof buf, 0);
    return judge_content("pread inherited fd", buf, n < 0 ? -errno : n, argv[1]);
}

/* ---- host processes ---- */

static int p_proc_environ(int argc, char **argv) {
    (void)argc;
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/environ", argv[0]);
    return read_path(path, argv[1]);
}

static int p_proc_cmdline(int argc, char **argv) {
    (void)argc;
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/cmdline", argv[0]);
    return read_path(path, argv[1]);
}

static int p_kill(int argc, char **argv) {
    (void)argc;
    if (kill((pid_t)atoi(argv[0]), SIGCONT) != 0) return BLOCKED(errno, "kill SIGCONT");
    return SUCCEEDED("SIGCONT delivered to %s", argv[0]);
}

static int p_ptrace(int argc, char **argv) {
    (void)argc;
    if (ptrace(PTRACE_SEIZE, (pid_t)atoi(argv[0]), 0, 0) != 0) return BLOCKED(errno, "PTRACE_SEIZE");
    return SUCCEEDED("seized %s (released on exit)", argv[0]);
}

static int p_process_vm_readv(int argc, char **argv) {
    (void)argc;
    char buf[256] = {0};
    size_t len = strlen(argv[2]);
    if (len >= sizeof buf) return PROBE_ERROR("marker too long");
    struct iovec local = {buf, len};
    struct iovec remote = {(void *)strtoul(argv[1], NULL, 0), len};
    ssize_t n = process_vm_readv((pid_t)atoi(argv[0]), &local, 1, &remote, 1, 0);
    return judge_content("process_vm_readv", buf, n < 0 ? -errno : n, argv[2]);
}

static int p_pidfd_getfd(int argc, char **argv) {
    (void)argc;
    int pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[0]), 0);
    if (pidfd < 0) return BLOCKED(errno, "pidfd_open");
    int fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
    if (fd < 0) return BLOCKED(errno, "pidfd_getfd");
    return SUCCEEDED("copied fd 0 of %s as fd %d", argv[0], fd);
}

static int p_setns(int argc, char **argv) {
    (void)argc;
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/ns/net", argv[0]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return BLOCKED(errno, "open ns/net");
    if (setns(fd, CLONE_NEWNET) != 0) return BLOCKED(errno, "setns");
    return SUCCEEDED("joined the network namespace of %s", argv[0]);
}

/* ---- terminal ---- */

/* TIOCSTI needs the tty to be our controlling terminal (or CAP_SYS_ADMIN). */
static void adopt_stdin_as_ctty(void) {
    pid_t sid;
    if (ioctl(0, TIOCGSID, &sid) == 0 && sid == getsid(0)) return;
    (void)setsid();
    (void)ioctl(0, TIOCSCTTY, 0);
}

static int inject(const char *marker, unsigned long request) {
    if (!isatty(0)) return PROBE_ERROR("stdin is not a terminal");
    adopt_stdin_as_ctty();
    char text[256];
    snprintf(text, sizeof text, "%s\n", marker);
    for (const char *c = text; *c; c++)
        if (syscall(SYS_ioctl, 0, request, c) != 0) return BLOCKED(errno, "ioctl TIOCSTI");
    return SUCCEEDED("pushed %zu bytes into the terminal's input", strlen(text));
}

static int p_tiocsti(int argc, char **argv) { (void)argc; return inject(argv[0], TIOCSTI); }
static int p_tiocsti_high(int argc, char **argv) { (void)argc; return inject(argv[0], HIGH_BITS | TIOCSTI); }

static int tioclinux(const char *device, unsigned long request) {
    int fd = open(device, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return BLOCKED(errno, "open console");
    char sub[8] = {TIOCL_GETSHIFTSTATE};
    if (syscall(SYS_ioctl, fd, request, sub) != 0) return BLOCKED(errno, "ioctl TIOCLINUX");
    return SUCCEEDED("TIOCLINUX answered on %s", device);
}

static int p_tioclinux(int argc, char **argv) { (void)argc; return tioclinux(argv[0], TIOCLINUX); }
static int p_tioclinux_high(int argc, char **argv) { (void)argc; return tioclinux(argv[0], HIGH_BITS | TIOCLINUX); }

/* ---- kernel attack surface ---- */

static int fd_result(long fd, const char *what) {
    if (fd < 0) return BLOCKED(errno, what);
    return SUCCEEDED("%s returned fd %ld", what, fd);
}

static int p_io_uring(int argc, char **argv) {
    (void)argc; (void)argv;
    struct io_uring_params params;
    memset(&params, 0, sizeof params);
    return fd_result(syscall(SYS_io_uring_setup, 4, &params), "io_uring_setup");
}

static int p_bpf(int argc, char **argv) {
    (void)argc; (void)argv;
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    return fd_result(syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr), "bpf(BPF_MAP_CREATE)");
}

static int p_perf_event_open(int argc, char **argv) {
    (void)argc; (void)argv;
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_SOFTWARE;
    attr.size = sizeof attr;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    return fd_result(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0), "perf_event_open");
}

static int p_userfaultfd(int argc, char **argv) {
    (void)argc; (void)argv;
    long fd = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
    if (fd < 0 && errno == EINVAL) fd = syscall(SYS_userfaultfd, O_CLOEXEC);
    return fd_result(fd, "userfaultfd");
}

static int p_unshare_user(int argc, char **argv) {
    (void)argc; (void)argv;
    if (unshare(CLONE_NEWUSER) != 0) return BLOCKED(errno, "unshare(CLONE_NEWUSER)");
    return SUCCEEDED("created a nested user namespace");
}

static int p_mount(int argc, char **argv) {
    (void)argc;
    if (mount("cordon-probe", argv[0], "tmpfs", MS_NOSUID | MS_NODEV, "size=16k") != 0) return BLOCKED(errno, "mount tmpfs");
    umount2(argv[0], MNT_DETACH);
    return SUCCEEDED("mounted (and unmounted) a tmpfs on %s", argv[0]);
}

static int p_chroot(int argc, char **argv) {
    (void)argc;
    if (chroot(argv[0]) != 0) return BLOCKED(errno, "chroot");
    return SUCCEEDED("chroot to %s", argv[0]);
}

static int p_keyring_read(int argc, char **argv) {
    (void)argc;
    long id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", argv[0], 0);
    if (id < 0) return BLOCKED(errno, "keyctl search @u");
    char buf[512];
    long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof buf);
    if (n > (long)sizeof buf) n = sizeof buf;
    return judge_content("keyctl read", buf, n < 0 ? -errno : n, argv[1]);
}

/* Runs `body` in a child so that a seccomp kill is observed instead of silencing the probe. */
static int in_child(int (*body)(void)) {
    pid_t pid = fork();
    if (pid < 0) return PROBE_ERROR("fork: %s", strerror(errno));
    if (pid == 0) _exit(body());
    int status;
    if (waitpid(pid, &status, 0) < 0) return PROBE_ERROR("waitpid: %s", strerror(errno));
    if (WIFSIGNALED(status)) return emit("blocked", 0, "killed by signal %d", WTERMSIG(status));
    return 0;
}

static int int80_body(void) {
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(I386_GETPID) : "memory", "r8", "r9", "r10", "r11");
    if (ret == getpid()) return SUCCEEDED("i386 getpid via int 0x80 returned %ld", ret);
    return emit("blocked", ret < 0 ? (int)-ret : 0, "int 0x80 returned %ld", ret);
}

static int x32_body(void) {
    long ret = syscall(X32_SYSCALL_BIT | SYS_getpid);
    if (ret == getpid()) return SUCCEEDED("x32 getpid returned %ld", ret);
    return BLOCKED(errno, "x32 getpid");
}

static int p_int80(int argc, char **argv) { (void)argc; (void)argv; return in_child(int80_body); }
static int p_x32(int argc, char **argv) { (void)argc; (void)argv; return in_child(x32_body); }

/* ---- sockets ---- */

static int sock_result(int domain, int type, int protocol, const char *what) {
    return fd_result(socket(domain, type | SOCK_CLOEXEC, protocol), what);
}

static int p_socket_vsock(int argc, char **argv) {
    (void)argc; (void)argv;
    return sock_result(AF_VSOCK, SOCK_STREAM, 0, "socket(AF_VSOCK)");
}

static int p_socket_packet(int argc, char **argv) {
    (void)argc; (void)argv;
    return sock_result(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), "socket(AF_PACKET)");
}

static int p_socket_netlink(int argc, char **argv) {
    (void)argc;
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, atoi(argv[0]));
    if (fd < 0) return BLOCKED(errno, "socket(AF_NETLINK)");
    struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = 1};
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) return BLOCKED(errno, "bind netlink group 1");
    return SUCCEEDED("netlink protocol %s socket bound to group 1", argv[0]);
}

/* Waits for the host listener's greeting: a connect that lands anywhere else proves nothing. */
static int expect_greeting(int fd, const char *marker, const char *what) {
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, 5000);
    if (r == 0) return emit("blocked", ETIMEDOUT, "%s: no answer from the host listener", what);
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    return judge_content(what, buf, n < 0 ? -errno : n, marker);
}

static int p_tcp_connect(int argc, char **argv) {
    (void)argc;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return BLOCKED(errno, "socket(AF_INET)");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    inet_pton(AF_INET, argv[0], &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return BLOCKED(errno, "connect");
    return expect_greeting(fd, argv[2], "tcp");
}

static int p_udp_send(int argc, char **argv) {
    (void)argc;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return BLOCKED(errno, "socket(AF_INET, SOCK_DGRAM)");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    inet_pton(AF_INET, argv[0], &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) return BLOCKED(errno, "connect");
    if (send(fd, "ping", 4, 0) != 4) return BLOCKED(errno, "send");
    return expect_greeting(fd, argv[2], "udp");
}

/* "@name" is an abstract socket; anything else a path. */
static socklen_t unix_address(const char *name, struct sockaddr_un *a) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    size_t len = strlen(name);
    if (len >= sizeof a->sun_path) len = sizeof a->sun_path - 1;
    memcpy(a->sun_path, name, len);
    if (name[0] == '@') a->sun_path[0] = '\0';
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (name[0] == '@' ? 0 : 1));
}

static int p_unix_connect(int argc, char **argv) {
    (void)argc;
    struct sockaddr_un a;
    socklen_t len = unix_address(argv[0], &a);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return BLOCKED(errno, "socket(AF_UNIX)");
    if (connect(fd, (struct sockaddr *)&a, len) != 0) return BLOCKED(errno, "connect");
    return expect_greeting(fd, argv[1], "unix");
}

/* ---- identity and environment ---- */

static int p_capabilities(int argc, char **argv) {
    (void)argc; (void)argv;
    static char buf[8192];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PROBE_ERROR("open /proc/self/status: %s", strerror(errno));
    ssize_t n = read_all(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return PROBE_ERROR("read /proc/self/status");
    buf[n] = '\0';
    static const char *const fields[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
    char held[256] = "";
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char key[16];
        snprintf(key, sizeof key, "\n%s:", fields[i]);
        char *line = strstr(buf, key);
        if (!line) return PROBE_ERROR("%s missing from /proc/self/status", fields[i]);
        unsigned long long v = strtoull(line + strlen(key), NULL, 16);
        if (v) snprintf(held + strlen(held), sizeof held - strlen(held), "%s=%llx ", fields[i], v);
    }
    char *nnp = strstr(buf, "\nNoNewPrivs:");
    if (!nnp) return PROBE_ERROR("NoNewPrivs missing from /proc/self/status");
    int no_new_privs = atoi(nnp + strlen("\nNoNewPrivs:"));
    if (held[0] || !no_new_privs) return SUCCEEDED("%sNoNewPrivs=%d", held, no_new_privs);
    return emit("blocked", 0, "no capabilities, NoNewPrivs=1");
}

static int p_env_secret(int argc, char **argv) {
    (void)argc;
    const char *value = getenv(argv[0]);
    if (!value) return emit("blocked", 0, "%s is not set", argv[0]);
    if (!strstr(value, argv[1])) return emit("blocked", 0, "%s is set without the secret", argv[0]);
    return SUCCEEDED("%s holds the secret", argv[0]);
}

/* ---- helper modes ---- */

/* Read by process_vm_readv from the outside; volatile so the copy stays in memory. */
static volatile char held_secret[256];

static int listen_on(int fd, struct sockaddr *a, socklen_t len, int stream) {
    if (fd < 0 || bind(fd, a, len) != 0 || (stream && listen(fd, 64) != 0)) {
        fprintf(stderr, "serve: %s\n", strerror(errno));
        exit(2);
    }
    return fd;
}

static unsigned port_of(int fd) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    return ntohs(a.sin_port);
}

/* serve MARKER UNIX_PATH @ABSTRACT: greets every connection with the marker until stdin closes. */
static int serve(char **argv) {
    const char *marker = argv[0];
    for (size_t i = 0; i < sizeof held_secret - 1 && marker[i]; i++) held_secret[i] = marker[i];
    struct sockaddr_in lo = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int tcp = listen_on(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), (struct sockaddr *)&lo, sizeof lo, 1);
    int udp = listen_on(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), (struct sockaddr *)&lo, sizeof lo, 0);
    struct sockaddr_un ua;
    unlink(argv[1]);
    socklen_t ul = unix_address(argv[1], &ua);
    int named = listen_on(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), (struct sockaddr *)&ua, ul, 1);
    chmod(argv[1], 0777);
    ul = unix_address(argv[2], &ua);
    int abstract = listen_on(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), (struct sockaddr *)&ua, ul, 1);
    printf("{\"serve\":%d,\"tcp\":%u,\"udp\":%u,\"addr\":\"%p\"}\n", getpid(), port_of(tcp), port_of(udp),
           (void *)held_secret);
    fflush(stdout);
    struct pollfd fds[] = {{0, POLLIN, 0}, {tcp, POLLIN, 0}, {named, POLLIN, 0}, {abstract, POLLIN, 0}, {udp, POLLIN, 0}};
    for (;;) {
        if (poll(fds, 5, -1) < 0) {
            if (errno == EINTR) continue;
            return 2;
        }
        if (fds[0].revents) return 0;
        for (int i = 1; i < 4; i++) {
            if (!(fds[i].revents & POLLIN)) continue;
            int c = accept4(fds[i].fd, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0) {
                (void)!write(c, marker, strlen(marker));
                close(c);
            }
        }
        if (fds[4].revents & POLLIN) {
            char buf[64];
            struct sockaddr_storage from;
            socklen_t fl = sizeof from;
            if (recvfrom(udp, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) >= 0)
                sendto(udp, marker, strlen(marker), 0, (struct sockaddr *)&from, fl);
        }
    }
}

/* add-key DESCRIPTION PAYLOAD: a user key in @u that expires on its own if the test dies. */
static int add_key(char **argv) {
    long id = syscall(SYS_add_key, "user", argv[0], argv[1], strlen(argv[1]), KEY_SPEC_USER_KEYRING);
    if (id < 0) {
        fprintf(stderr, "add_key: %s\n", strerror(errno));
        return 2;
    }
    syscall(SYS_keyctl, KEYCTL_SET_TIMEOUT, id, 900);
    printf("{\"key\":%ld}\n", id);
    return 0;
}

struct probe {
    const char *name;
    int args;
    int (*run)(int argc, char **argv);
    const char *usage;
};

static const struct probe probes[] = {
    {"read-file", 1, p_read_file, "PATH [MARKER]"},
    {"write-file", 2, p_write_file, "PATH MARKER [mkdirs]"},
    {"write-proc-sys", 1, p_write_proc_sys, "/proc/sys/PATH"},
    {"symlink-read", 3, p_symlink_read, "LINK TARGET MARKER"},
    {"hardlink-read", 3, p_hardlink_read, "SOURCE NEWNAME MARKER"},
    {"open-by-handle", 1, p_open_by_handle, "PATH"},
    {"inherited-fd", 2, p_inherited_fd, "FD MARKER"},
    {"proc-environ", 2, p_proc_environ, "PID MARKER"},
    {"proc-cmdline", 2, p_proc_cmdline, "PID MARKER"},
    {"kill", 1, p_kill, "PID"},
    {"ptrace", 1, p_ptrace, "PID"},
    {"process-vm-readv", 3, p_process_vm_readv, "PID ADDRESS MARKER"},
    {"pidfd-getfd", 1, p_pidfd_getfd, "PID"},
    {"setns", 1, p_setns, "PID"},
    {"tiocsti", 1, p_tiocsti, "MARKER"},
    {"tiocsti-high-bits", 1, p_tiocsti_high, "MARKER"},
    {"tioclinux", 1, p_tioclinux, "CONSOLE"},
    {"tioclinux-high-bits", 1, p_tioclinux_high, "CONSOLE"},
    {"io-uring", 0, p_io_uring, ""},
    {"bpf", 0, p_bpf, ""},
    {"perf-event-open", 0, p_perf_event_open, ""},
    {"userfaultfd", 0, p_userfaultfd, ""},
    {"unshare-user", 0, p_unshare_user, ""},
    {"mount", 1, p_mount, "DIR"},
    {"chroot", 1, p_chroot, "DIR"},
    {"keyring-read", 2, p_keyring_read, "DESCRIPTION MARKER"},
    {"int80", 0, p_int80, ""},
    {"x32", 0, p_x32, ""},
    {"socket-vsock", 0, p_socket_vsock, ""},
    {"socket-packet", 0, p_socket_packet, ""},
    {"socket-netlink", 1, p_socket_netlink, "PROTOCOL"},
    {"tcp-connect", 3, p_tcp_connect, "HOST PORT MARKER"},
    {"udp-send", 3, p_udp_send, "HOST PORT MARKER"},
    {"unix-connect", 2, p_unix_connect, "PATH|@ABSTRACT MARKER"},
    {"capabilities", 0, p_capabilities, ""},
    {"env-secret", 2, p_env_secret, "NAME MARKER"},
};

int main(int argc, char **argv) {
    if (argc >= 5 && strcmp(argv[1], "serve") == 0) return serve(argv + 2);
    if (argc >= 4 && strcmp(argv[1], "add-key") == 0) return add_key(argv + 2);
    if (argc >= 2 && strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) printf("%s %s\n", probes[i].name, probes[i].usage);
        return 0;
    }
    for (size_t i = 0; argc >= 2 && i < sizeof probes / sizeof *probes; i++) {
        if (strcmp(argv[1], probes[i].name) != 0) continue;
        probe_name = probes[i].name;
        if (argc - 2 < probes[i].args) {
            PROBE_ERROR("usage: cordon-probe %s %s", probes[i].name, probes[i].usage);
            return 2;
        }
        probes[i].run(argc - 2, argv + 2);
        return 0;
    }
    PROBE_ERROR("unknown probe %s (try: cordon-probe list)", argc >= 2 ? argv[1] : "(none)");
    return 2;
}
