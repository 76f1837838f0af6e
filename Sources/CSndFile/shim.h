#ifndef PATTERN_STUDIO_CSNDFILE_SHIM_H
#define PATTERN_STUDIO_CSNDFILE_SHIM_H
#include <sndfile.h>
#include "lazy_library.h"

// libsndfile is loaded on first use (lazy_library.h). Without it, opening fails and `pstudio_sf_strerror` says
// why.
PSTUDIO_LIBRARY(pstudio_sndfile, "libsndfile.so.1")

static const char *const pstudio_sndfile_missing =
    "libsndfile (libsndfile.so.1) could not be loaded: install it (Debian: apt install libsndfile1)";

#define PSTUDIO_SNDFILE(RET, NAME, PARAMS, ARGS, FAIL) PSTUDIO_LAZY(pstudio_sndfile, RET, NAME, PARAMS, ARGS, FAIL)

PSTUDIO_SNDFILE(SNDFILE *, sf_open, (const char *path, int mode, SF_INFO *info), (path, mode, info), NULL)
PSTUDIO_SNDFILE(SNDFILE *, sf_open_fd, (int fd, int mode, SF_INFO *info, int close_desc), (fd, mode, info, close_desc),
                NULL)
PSTUDIO_SNDFILE(SNDFILE *, sf_open_virtual, (SF_VIRTUAL_IO * io, int mode, SF_INFO *info, void *user),
                (io, mode, info, user), NULL)
PSTUDIO_SNDFILE(const char *, sf_strerror, (SNDFILE * file), (file), pstudio_sndfile_missing)
PSTUDIO_SNDFILE(const char *, sf_error_number, (int number), (number), pstudio_sndfile_missing)
PSTUDIO_SNDFILE(int, sf_command, (SNDFILE * file, int command, void *data, int size), (file, command, data, size), 0)
PSTUDIO_SNDFILE(int, sf_format_check, (const SF_INFO *info), (info), 0)
PSTUDIO_SNDFILE(int, sf_set_string, (SNDFILE * file, int type, const char *text), (file, type, text), -1)
PSTUDIO_SNDFILE(const char *, sf_get_string, (SNDFILE * file, int type), (file, type), NULL)
PSTUDIO_SNDFILE(sf_count_t, sf_writef_short, (SNDFILE * file, const short *p, sf_count_t n), (file, p, n), 0)
PSTUDIO_SNDFILE(sf_count_t, sf_writef_int, (SNDFILE * file, const int *p, sf_count_t n), (file, p, n), 0)
PSTUDIO_SNDFILE(sf_count_t, sf_writef_float, (SNDFILE * file, const float *p, sf_count_t n), (file, p, n), 0)
PSTUDIO_SNDFILE(sf_count_t, sf_readf_int, (SNDFILE * file, int *p, sf_count_t n), (file, p, n), 0)
PSTUDIO_SNDFILE(sf_count_t, sf_readf_float, (SNDFILE * file, float *p, sf_count_t n), (file, p, n), 0)
PSTUDIO_SNDFILE(int, sf_close, (SNDFILE * file), (file), 0)

PSTUDIO_LAZY_VOID(pstudio_sndfile, sf_write_sync, (SNDFILE * file), (file))
#endif
