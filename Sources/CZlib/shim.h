// The system zlib (zlib1g-dev): gzip bodies for the audit HTTP sink.
#include <zlib.h>
