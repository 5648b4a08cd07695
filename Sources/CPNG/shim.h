#ifndef GRAFT_CPNG_SHIM_H
#define GRAFT_CPNG_SHIM_H
// libpng 1.6 (Debian libpng-dev). Its errors longjmp out of the failing call, which Swift frames
// must never be crossed by, so only the C target CGraftImage calls it (graft_png.c).
#include <png.h>
#endif
