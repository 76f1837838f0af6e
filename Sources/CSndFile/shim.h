#ifndef PATTERN_STUDIO_CSNDFILE_SHIM_H
#define PATTERN_STUDIO_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
