#ifndef AELAB_LAPACKE_SHIM_H
#define AELAB_LAPACKE_SHIM_H
#include <lapacke.h>
#endif
