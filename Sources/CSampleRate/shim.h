#ifndef PATTERN_STUDIO_CSAMPLERATE_SHIM_H
#define PATTERN_STUDIO_CSAMPLERATE_SHIM_H
#include <samplerate.h>
#include "../CSndFile/lazy_library.h"

// libsamplerate is loaded on first use (../CSndFile/lazy_library.h): only a sample played at another rate needs it.
PSTUDIO_LIBRARY(pstudio_samplerate, "libsamplerate.so.0")
PSTUDIO_LAZY(pstudio_samplerate, int, src_simple, (SRC_DATA * data, int converter, int channels),
             (data, converter, channels), -1)
#endif
