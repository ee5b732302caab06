#include "cordon_linux.h"
