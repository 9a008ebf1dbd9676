#ifndef AELAB_ZLIB_SHIM_H
#define AELAB_ZLIB_SHIM_H
#include <zlib.h>
#endif
