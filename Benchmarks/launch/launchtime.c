/*
 * launchtime: starts each of several commands once per round, in an order that rotates every
 * round, and prints the median wall time of each. Interleaving makes the contenders share
 * whatever the machine is doing; rotation keeps any one from always following another.
 *
 *   launchtime ROUNDS NAME CMD... :: NAME CMD... [:: NAME CMD...]
 *
 * "::" separates contenders because "--" is part of the commands being measured.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONTENDERS 8

extern char **environ;

struct contender {
    const char *name;
    char **argv;
    double *ms;
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

/* One launch: spawn, wait, and return the elapsed milliseconds (negative on failure). */
static double launch(char **argv) {
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
    if (waitpid(pid, &status, 0) < 0) return -1;
    double elapsed = now_ms() - start;
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
        c[n].failures = 0;
        n++;
    }
    for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < n; k++) {
            struct contender *x = &c[(r + k) % n];
            double ms = launch(x->argv);
            if (ms < 0) x->failures++;
            x->ms[r] = ms;
        }
    }
    for (int k = 0; k < n; k++) {
        int ok = 0;
        for (int r = 0; r < rounds; r++)
            if (c[k].ms[r] >= 0) c[k].ms[ok++] = c[k].ms[r];
        qsort(c[k].ms, (size_t)ok, sizeof(double), by_value);
        double median = ok ? c[k].ms[ok / 2] : -1;
        printf("%s median_ms=%.3f p10_ms=%.3f p90_ms=%.3f runs=%d failures=%d\n", c[k].name, median,
               ok ? c[k].ms[ok / 10] : -1, ok ? c[k].ms[ok * 9 / 10] : -1, ok, c[k].failures);
    }
    return 0;
}
