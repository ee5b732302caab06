/*
 * launchtime: starts each of several commands once per round, in an order that rotates every
 * round, and prints the median wall time of each. Interleaving makes the contenders share
 * whatever the machine is doing; rotation keeps any one from always following another.
 *
 *   launchtime ROUNDS NAME CMD... :: NAME CMD... [:: NAME CMD...]
 *
 * "::" separates contenders because "--" is part of the commands being measured.
 *
 * Besides wall time it reports the CPU time (user + system) each launch cost, from wait4's
 * rusage, which counts the waited-for descendants too: on a loaded machine the wall time
 * includes waiting for a CPU, the CPU time does not.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONTENDERS 8

extern char **environ;

struct contender {
    const char *name;
    char **argv;
    double *ms;
    double *cpu_ms;
    int failures;
};

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double cpu_of(const struct rusage *usage) {
    return usage->ru_utime.tv_sec * 1e3 + usage->ru_utime.tv_usec / 1e3 + usage->ru_stime.tv_sec * 1e3 +
           usage->ru_stime.tv_usec / 1e3;
}

/* One launch: spawn, wait, and return the elapsed milliseconds (negative on failure); the CPU
   milliseconds it cost go to *cpu. */
static double launch(char **argv, double *cpu) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int status;
    double start = now_ms();
    int rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) return -1;
    double elapsed = now_ms() - start;
    *cpu = cpu_of(&usage);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? elapsed : -1;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: launchtime ROUNDS NAME CMD... [:: NAME CMD...]\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    struct contender c[MAX_CONTENDERS];
    int n = 0;
    for (int i = 2; i < argc && n < MAX_CONTENDERS;) {
        c[n].name = argv[i++];
        c[n].argv = &argv[i];
        while (i < argc && strcmp(argv[i], "::") != 0) i++;
        if (i < argc) argv[i++] = NULL;
        c[n].ms = calloc((size_t)rounds, sizeof(double));
        c[n].cpu_ms = calloc((size_t)rounds, sizeof(double));
        c[n].failures = 0;
        n++;
    }
    for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < n; k++) {
            struct contender *x = &c[(r + k) % n];
            double cpu = -1;
            double ms = launch(x->argv, &cpu);
            if (ms < 0) x->failures++;
            x->ms[r] = ms;
            x->cpu_ms[r] = ms < 0 ? -1 : cpu;
        }
    }
    for (int k = 0; k < n; k++) {
        int ok = 0;
        for (int r = 0; r < rounds; r++) {
            if (c[k].ms[r] < 0) continue;
            c[k].cpu_ms[ok] = c[k].cpu_ms[r];
            c[k].ms[ok++] = c[k].ms[r];
        }
        qsort(c[k].ms, (size_t)ok, sizeof(double), by_value);
        qsort(c[k].cpu_ms, (size_t)ok, sizeof(double), by_value);
        double median = ok ? c[k].ms[ok / 2] : -1;
        printf("%s median_ms=%.3f p10_ms=%.3f p90_ms=%.3f cpu_median_ms=%.3f runs=%d failures=%d\n", c[k].name, median,
               ok ? c[k].ms[ok / 10] : -1, ok ? c[k].ms[ok * 9 / 10] : -1, ok ? c[k].cpu_ms[ok / 2] : -1, ok,
               c[k].failures);
    }
    return 0;
}
