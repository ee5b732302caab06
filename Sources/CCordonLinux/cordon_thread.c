/* Thread naming for the supervisor's helper threads: prctl is variadic, which Swift must not call. */
#include "cordon_internal.h"
#include <errno.h>
#include <sys/prctl.h>

int cordon_name_this_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0) < 0 ? -errno : 0;
}
