/* Settings of the sandbox's own network namespace, applied by the child between clone and exec:
   async-signal-safe code only (no allocation, no stdio). */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* Writes the decimal digits of value at text and returns how many. */
static size_t put_decimal(char *text, unsigned value) {
    char digits[5];
    size_t count = 0;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0 && count < sizeof digits);
    for (size_t i = 0; i < count; i++) text[i] = digits[count - 1 - i];
    return count;
}

void cordon_netns_set_local_ports(const struct cordon_launch_spec *spec, int staged, int error_pipe) {
    if (spec->local_port_first == 0 || spec->local_port_last < spec->local_port_first) return;
    char text[16];
    size_t length = put_decimal(text, spec->local_port_first);
    text[length++] = ' ';
    length += put_decimal(text + length, spec->local_port_last);
    text[length++] = '\n';
    /* /proc/sys/net shows the network namespace of the process that opens it: ours. A staged
       root has the host's /proc beneath the old root. */
    const char *path = staged ? CORDON_STAGING_OLD_ROOT "/proc/sys/net/ipv4/ip_local_port_range"
                              : "/proc/sys/net/ipv4/ip_local_port_range";
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) cordon_child_fail(error_pipe, CORDON_STEP_LOCAL_PORT_RANGE, errno, -1);
    ssize_t written;
    do {
        written = write(fd, text, length);
    } while (written < 0 && errno == EINTR);
    if (written != (ssize_t)length) cordon_child_fail(error_pipe, CORDON_STEP_LOCAL_PORT_RANGE, written < 0 ? errno : EIO, -1);
    close(fd);
}
