#ifndef GRAFT_CTURBOJPEG_SHIM_H
#define GRAFT_CTURBOJPEG_SHIM_H
// The TurboJPEG API of libjpeg-turbo (2.x, Debian libturbojpeg0-dev). It reports errors through
// return codes and tjGetErrorStr2, never longjmp, so GraftData calls it from Swift directly.
#include <turbojpeg.h>
#endif
