/* The child's confinement after the view is built: limits, privileges, Landlock, seccomp.
   Async-signal-safe; each failure is reported with its step and exits. */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

void cordon_child_limit_resources(const struct cordon_launch_spec *spec, int error_pipe) {
    for (size_t i = 0; i < spec->rlimit_count; i++) {
        struct rlimit limit = {(rlim_t)spec->rlimits[i].soft, (rlim_t)spec->rlimits[i].hard};
        if (setrlimit(spec->rlimits[i].resource, &limit) < 0)
            cordon_child_fail(error_pipe, CORDON_STEP_RLIMIT, errno, (int)i);
    }
    /* Core dumps would write the sandbox's memory where the plan did not say. */
    struct rlimit no_core = {0, 0};
    if (setrlimit(RLIMIT_CORE, &no_core) < 0) cordon_child_fail(error_pipe, CORDON_STEP_RLIMIT, errno, -1);
}

void cordon_child_drop_privileges(const struct cordon_launch_spec *spec, int error_pipe) {
    (void)spec;
    /* Every bounding-set bit the kernel knows; EINVAL marks the first one past its last. */
    for (int capability = 0; capability < 64; capability++) {
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) < 0) {
            /* EPERM: no CAP_SETPCAP (no user namespace, unprivileged caller); with no_new_privs
               set below, no exec can gain what the bounding set still lists. */
            if (errno == EINVAL || errno == EPERM) break;
            cordon_child_fail(error_pipe, CORDON_STEP_CAPABILITY_BOUNDING, errno, capability);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_CAPABILITY_AMBIENT, errno, -1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) cordon_child_fail(error_pipe, CORDON_STEP_NO_NEW_PRIVS, errno, -1);
    /* Keeps the program (same uid) from ptracing or reading the memory of the first process;
       execve restores it for the program itself. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) cordon_child_fail(error_pipe, CORDON_STEP_DUMPABLE, errno, -1);
}

void cordon_child_clear_capabilities(int error_pipe) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) < 0) cordon_child_fail(error_pipe, CORDON_STEP_CAPABILITIES, errno, -1);
}

static size_t ruleset_size(int abi) {
    if (abi >= 6) return sizeof(struct cordon_landlock_ruleset_attr);
    if (abi >= 4) return offsetof(struct cordon_landlock_ruleset_attr, scoped);
    return offsetof(struct cordon_landlock_ruleset_attr, handled_access_net);
}

void cordon_child_apply_landlock(const struct cordon_launch_spec *spec, int error_pipe) {
    if (!spec->landlock_enabled) return;
    struct cordon_landlock_ruleset_attr attr = {spec->landlock_handled_fs, spec->landlock_handled_net,
                                                spec->landlock_scopes};
    int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, ruleset_size(spec->landlock_abi), 0U);
    if (ruleset < 0) cordon_child_fail(error_pipe, CORDON_STEP_LANDLOCK_RULESET, errno, -1);
    for (size_t i = 0; i < spec->landlock_path_count; i++) {
        const struct cordon_landlock_path_rule *rule = &spec->landlock_paths[i];
        int fd = open(rule->path, O_PATH | O_CLOEXEC);
        if (fd < 0) {
            /* A rule for a path absent from the view grants nothing. */
            if (errno == ENOENT) continue;
            cordon_child_fail(error_pipe, CORDON_STEP_LANDLOCK_PATH, errno, (int)i);
        }
        struct stat st;
        if (fstat(fd, &st) < 0) cordon_child_fail(error_pipe, CORDON_STEP_LANDLOCK_PATH, errno, (int)i);
        /* The kernel refuses directory rights on a file and rights the ruleset does not handle. */
        uint64_t access = rule->access & spec->landlock_handled_fs;
        if (!S_ISDIR(st.st_mode)) access &= CORDON_LANDLOCK_FILE_RIGHTS;
        if (access != 0) {
            struct cordon_landlock_path_beneath_attr beneath = {access, fd};
            if (syscall(__NR_landlock_add_rule, ruleset, CORDON_LANDLOCK_RULE_PATH_BENEATH, &beneath, 0U) < 0)
                cordon_child_fail(error_pipe, CORDON_STEP_LANDLOCK_PATH, errno, (int)i);
        }
        close(fd);
    }
    for (size_t i = 0; i < spec->landlock_port_count; i++) {
        struct cordon_landlock_net_port_attr port = {spec->landlock_ports[i].access & spec->landlock_handled_net,
                                                     spec->landlock_ports[i].port};
        if (port.allowed_access == 0) continue;
        if (syscall(__NR_landlock_add_rule, ruleset, CORDON_LANDLOCK_RULE_NET_PORT, &port, 0U) < 0)
            cordon_child_fail(error_pipe, CORDON_STEP_LANDLOCK_PORT, errno, (int)i);
    }
    if (syscall(__NR_landlock_restrict_self, ruleset, 0U) < 0)
        cordon_child_fail(error_pipe, CORDON_STEP_LANDLOCK_RESTRICT, errno, -1);
    close(ruleset);
}

void cordon_child_apply_seccomp(const struct cordon_launch_spec *spec, int error_pipe) {
    for (size_t i = 0; i < spec->seccomp_count; i++) {
        struct sock_fprog program = {spec->seccomp[i].count, (struct sock_filter *)spec->seccomp[i].instructions};
        if (syscall(SYS_seccomp, CORDON_SECCOMP_SET_MODE_FILTER, 0U, &program) < 0)
            cordon_child_fail(error_pipe, CORDON_STEP_SECCOMP, errno, (int)i);
    }
}
