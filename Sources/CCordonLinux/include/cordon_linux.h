#ifndef CORDON_LINUX_H
#define CORDON_LINUX_H
/* Only what Swift cannot express: variadic syscall/prctl/ioctl wrappers, kernel constants and
   structs missing from Debian 12's headers, and the async-signal-safe child that applies a
   launch plan between clone and exec. Every symbol is prefixed cordon_. */
#endif
