/* The child's mount work: stage a new root on a tmpfs, apply the plan's steps in order with the
   host still visible under the old root, mount /proc while that is so (the kernel only allows a
   new procfs where a full one is visible), then pivot and detach the host. Staging and the base
   steps happen before the go, the other steps and the pivot after it. Async-signal-safe. */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define NULL_DEVICE CORDON_STAGING_OLD_ROOT "/dev/null"

/* procfs entries that would let a process mapped to host root change the host, read-only. */
static const char *const proc_read_only[] = {"sys", "sysrq-trigger", "irq", "bus", "fs"};
/* procfs entries that reveal kernel memory, keys or timing, hidden. */
static const char *const proc_masked[] = {
    "kcore", "keys", "key-users", "timer_list", "sched_debug", "latency_stats", "timer_stats",
    "kmsg", "kpagecount", "kpageflags", "kpagecgroup", "acpi", "scsi", "asound", "firmware",
};

static int set_attributes(const char *target, uint64_t attributes, unsigned flags) {
    struct cordon_mount_attr attr = {attributes, 0, 0, 0};
    return (int)syscall(__NR_mount_setattr, AT_FDCWD, target, flags, &attr, sizeof attr);
}

/* Creates every missing parent of path with mode 0755. */
static int make_parents(char *path) {
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        int saved = errno;
        *p = '/';
        if (rc < 0 && saved != EEXIST) {
            errno = saved;
            return -1;
        }
    }
    return 0;
}

static int copy_path(char *buffer, size_t size, const char *path) {
    size_t length = strlen(path);
    if (length + 1 > size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buffer, path, length + 1);
    return 0;
}

/* Creates the parents of target, for a retry after ENOENT (most targets' parents exist, and
   trying first saves a mkdir per path component). */
static int make_parents_of(const char *target) {
    char path[4096];
    return copy_path(path, sizeof path, target) < 0 ? -1 : make_parents(path);
}

static int create_directory(const char *target, mode_t mode) {
    if (mkdir(target, mode) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT || make_parents_of(target) < 0) return -1;
    return mkdir(target, mode) == 0 || errno == EEXIST ? 0 : -1;
}

static int create_file(const char *target, int flags, mode_t mode) {
    int fd = open(target, flags, mode);
    if (fd < 0 && errno == ENOENT && make_parents_of(target) == 0) fd = open(target, flags, mode);
    return fd;
}

/* Creates the mount point: a directory, or an empty file to bind a file over. */
static int make_mount_point(const char *target, int directory) {
    if (directory) return create_directory(target, 0755);
    /* An existing file is already a mount point; opening it for writing would fail with EROFS
       beneath a read-only bind (a protected file inside a read-only grant). */
    struct stat existing;
    if (lstat(target, &existing) == 0) return 0;
    int fd = create_file(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return errno == EEXIST ? 0 : -1;
    close(fd);
    return 0;
}

static void fail(int error_pipe, int step, int index) {
    cordon_child_fail(error_pipe, step, errno, index);
}

static void join_path(char *buffer, size_t size, const char *directory, const char *name, int error_pipe, int index) {
    size_t a = strlen(directory), b = strlen(name);
    if (a + 1 + b + 1 > size) cordon_child_fail(error_pipe, CORDON_STEP_PROC_PROTECT, ENAMETOOLONG, index);
    memcpy(buffer, directory, a);
    buffer[a] = '/';
    memcpy(buffer + a + 1, name, b + 1);
}

static void protect_proc(const char *target, int error_pipe, int index) {
    char path[4096];
    for (size_t i = 0; i < sizeof proc_read_only / sizeof proc_read_only[0]; i++) {
        join_path(path, sizeof path, target, proc_read_only[i], error_pipe, index);
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
            if (errno == ENOENT) continue;
            fail(error_pipe, CORDON_STEP_PROC_PROTECT, index);
        }
        uint64_t attributes = CORDON_MOUNT_ATTR_RDONLY | CORDON_MOUNT_ATTR_NOSUID | CORDON_MOUNT_ATTR_NODEV |
                              CORDON_MOUNT_ATTR_NOEXEC;
        if (set_attributes(path, attributes, CORDON_AT_RECURSIVE) < 0) fail(error_pipe, CORDON_STEP_PROC_PROTECT, index);
    }
    for (size_t i = 0; i < sizeof proc_masked / sizeof proc_masked[0]; i++) {
        join_path(path, sizeof path, target, proc_masked[i], error_pipe, index);
        struct stat st;
        if (lstat(path, &st) < 0) {
            if (errno == ENOENT) continue;
            fail(error_pipe, CORDON_STEP_PROC_PROTECT, index);
        }
        int rc = S_ISDIR(st.st_mode)
                     ? mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0555,size=4k")
                     : mount(NULL_DEVICE, path, NULL, MS_BIND, NULL);
        if (rc < 0) fail(error_pipe, CORDON_STEP_PROC_PROTECT, index);
    }
}

static void mask(const char *target, int error_pipe, int index) {
    struct stat st;
    if (lstat(target, &st) < 0) {
        if (errno == ENOENT) return; /* nothing there to hide */
        fail(error_pipe, CORDON_STEP_MOUNT, index);
    }
    if (S_ISDIR(st.st_mode)) {
        if (mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0555,size=4k") < 0)
            fail(error_pipe, CORDON_STEP_MOUNT, index);
    } else {
        if (mount(NULL_DEVICE, target, NULL, MS_BIND, NULL) < 0) fail(error_pipe, CORDON_STEP_MOUNT, index);
        if (set_attributes(target, CORDON_MOUNT_ATTR_RDONLY | CORDON_MOUNT_ATTR_NOSUID | CORDON_MOUNT_ATTR_NOEXEC, 0) < 0)
            fail(error_pipe, CORDON_STEP_MOUNT_ATTRIBUTES, index);
    }
}

static void bind_path(const struct cordon_mount_op *op, int device, int error_pipe, int index) {
    struct stat st;
    /* An absent host path grants nothing; skipping it cannot widen the view. */
    if (stat(op->source, &st) < 0) {
        if (errno == ENOENT) return;
        fail(error_pipe, CORDON_STEP_MOUNT, index);
    }
    if (make_mount_point(op->target, S_ISDIR(st.st_mode)) < 0) fail(error_pipe, CORDON_STEP_MOUNT_MKDIR, index);
    if (mount(op->source, op->target, NULL, MS_BIND | (device ? 0 : MS_REC), NULL) < 0)
        fail(error_pipe, CORDON_STEP_MOUNT, index);
    /* mount_setattr only adds flags, so a source's locked flags (ro, noexec, ...) stay as they were;
       AT_RECURSIVE reaches the submounts a plain remount would leave writable. */
    uint64_t attributes = CORDON_MOUNT_ATTR_NOSUID;
    unsigned flags = 0;
    if (!device) {
        attributes |= CORDON_MOUNT_ATTR_NODEV;
        if (!(op->flags & CORDON_MOUNT_WRITABLE)) attributes |= CORDON_MOUNT_ATTR_RDONLY;
        if (!(op->flags & CORDON_MOUNT_EXECUTABLE)) attributes |= CORDON_MOUNT_ATTR_NOEXEC;
        flags = CORDON_AT_RECURSIVE;
    } else {
        attributes |= CORDON_MOUNT_ATTR_NOEXEC;
    }
    if (set_attributes(op->target, attributes, flags) < 0) fail(error_pipe, CORDON_STEP_MOUNT_ATTRIBUTES, index);
}

static void write_file(const struct cordon_mount_op *op, int error_pipe, int index) {
    int fd = create_file(op->target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, op->mode);
    if (fd < 0) fail(error_pipe, errno == ENOENT ? CORDON_STEP_MOUNT_MKDIR : CORDON_STEP_MOUNT_CREATE, index);
    if (cordon_write_all(fd, op->contents, op->contents_length) < 0) fail(error_pipe, CORDON_STEP_MOUNT_CREATE, index);
    close(fd);
}

static void apply_step(const struct cordon_mount_op *op, int error_pipe, int index) {
    switch (op->kind) {
    case CORDON_MOUNT_TMPFS:
        if (make_mount_point(op->target, 1) < 0) fail(error_pipe, CORDON_STEP_MOUNT_MKDIR, index);
        if (mount("tmpfs", op->target, "tmpfs", MS_NOSUID | MS_NODEV, op->source) < 0)
            fail(error_pipe, CORDON_STEP_MOUNT, index);
        break;
    case CORDON_MOUNT_DIRECTORY:
        if (create_directory(op->target, op->mode) < 0) fail(error_pipe, CORDON_STEP_MOUNT_CREATE, index);
        break;
    case CORDON_MOUNT_FILE:
        write_file(op, error_pipe, index);
        break;
    case CORDON_MOUNT_SYMLINK:
        if (symlink(op->source, op->target) < 0 &&
            (errno != ENOENT || make_parents_of(op->target) < 0 || symlink(op->source, op->target) < 0))
            fail(error_pipe, CORDON_STEP_MOUNT_CREATE, index);
        break;
    case CORDON_MOUNT_BIND:
        bind_path(op, 0, error_pipe, index);
        break;
    case CORDON_MOUNT_DEVICE:
        bind_path(op, 1, error_pipe, index);
        break;
    case CORDON_MOUNT_PROC:
        if (make_mount_point(op->target, 1) < 0) fail(error_pipe, CORDON_STEP_MOUNT_MKDIR, index);
        if (mount("proc", op->target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
            fail(error_pipe, CORDON_STEP_MOUNT, index);
        protect_proc(op->target, error_pipe, index);
        break;
    case CORDON_MOUNT_DEVPTS:
        if (make_mount_point(op->target, 1) < 0) fail(error_pipe, CORDON_STEP_MOUNT_MKDIR, index);
        if (mount("devpts", op->target, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0)
            fail(error_pipe, CORDON_STEP_MOUNT, index);
        if (symlink(op->contents, op->source) < 0 && errno != EEXIST) fail(error_pipe, CORDON_STEP_MOUNT_CREATE, index);
        break;
    case CORDON_MOUNT_MASK:
        mask(op->target, error_pipe, index);
        break;
    case CORDON_MOUNT_REMOUNT_READ_ONLY:
        if (set_attributes(op->target, CORDON_MOUNT_ATTR_RDONLY, 0) < 0)
            fail(error_pipe, CORDON_STEP_MOUNT_ATTRIBUTES, index);
        break;
    default:
        cordon_child_fail(error_pipe, CORDON_STEP_MOUNT, EINVAL, index);
    }
}

void cordon_child_stage_root(const struct cordon_launch_spec *spec, int error_pipe) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail(error_pipe, CORDON_STEP_MOUNT_PRIVATE, -1);
    if (mount("tmpfs", spec->staging_base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k") < 0)
        fail(error_pipe, CORDON_STEP_STAGING_TMPFS, -1);
    if (chdir(spec->staging_base) < 0 || mkdir("newroot", 0755) < 0 || mkdir("oldroot", 0755) < 0)
        fail(error_pipe, CORDON_STEP_STAGING_TMPFS, -1);
    if (syscall(SYS_pivot_root, ".", "oldroot") < 0) fail(error_pipe, CORDON_STEP_STAGING_PIVOT, -1);
    if (chdir("/") < 0) fail(error_pipe, CORDON_STEP_STAGING_PIVOT, -1);
    if (mount("tmpfs", CORDON_STAGING_NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
        fail(error_pipe, CORDON_STEP_ROOT_TMPFS, -1);
    for (size_t i = 0; i < spec->base_mount_count && i < spec->mount_count; i++) apply_step(&spec->mounts[i], error_pipe, (int)i);
}

void cordon_child_finish_root(const struct cordon_launch_spec *spec, int error_pipe) {
    for (size_t i = spec->base_mount_count; i < spec->mount_count; i++) apply_step(&spec->mounts[i], error_pipe, (int)i);

    if (chdir(CORDON_STAGING_NEW_ROOT) < 0) fail(error_pipe, CORDON_STEP_PIVOT_ROOT, -1);
    /* pivot_root(".", ".") stacks the staging root over the new one; detaching "." drops it
       together with the host's root mounted beneath it. One detach, not one per tree: each
       umount waits for an RCU grace period (milliseconds on a busy machine). */
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail(error_pipe, CORDON_STEP_PIVOT_ROOT, -1);
    if (umount2(".", MNT_DETACH) < 0) fail(error_pipe, CORDON_STEP_DETACH_OLD_ROOT, -1);
    if (chdir("/") < 0) fail(error_pipe, CORDON_STEP_PIVOT_ROOT, -1);
}
