/* The supervisor's terminal calls: ioctl and fcntl are variadic, which Swift must not call. */
#include "cordon_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

_Static_assert(sizeof(struct cordon_window_size) == sizeof(struct winsize), "struct winsize layout");

int cordon_terminal_get_window_size(int fd, struct cordon_window_size *size) {
    struct winsize value;
    if (ioctl(fd, TIOCGWINSZ, &value) < 0) return -errno;
    size->rows = value.ws_row;
    size->columns = value.ws_col;
    size->x_pixels = value.ws_xpixel;
    size->y_pixels = value.ws_ypixel;
    return 0;
}

int cordon_terminal_set_window_size(int fd, const struct cordon_window_size *size) {
    struct winsize value = {size->rows, size->columns, size->x_pixels, size->y_pixels};
    return ioctl(fd, TIOCSWINSZ, &value) < 0 ? -errno : 0;
}

int cordon_terminal_send_signal(int master, int signal) {
    return ioctl(master, TIOCSIG, signal) < 0 ? -errno : 0;
}

int cordon_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -errno;
    return 0;
}

int cordon_set_close_on_exec(int fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) return -errno;
    return 0;
}
