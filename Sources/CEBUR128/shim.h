#ifndef PATTERN_STUDIO_CEBUR128_SHIM_H
#define PATTERN_STUDIO_CEBUR128_SHIM_H
#include <ebur128.h>
#include "../CSndFile/lazy_library.h"

// libebur128 is loaded on first use (../CSndFile/lazy_library.h): the loudness meters are this project's exact
// copies of its algorithms, and the library itself measures only where they do not apply (and in the tests).
PSTUDIO_LIBRARY(pstudio_ebur128, "libebur128.so.1")
PSTUDIO_LAZY(pstudio_ebur128, ebur128_state *, ebur128_init, (unsigned int channels, unsigned long rate, int mode),
             (channels, rate, mode), NULL)
PSTUDIO_LAZY_VOID(pstudio_ebur128, ebur128_destroy, (ebur128_state * *state), (state))
PSTUDIO_LAZY(pstudio_ebur128, int, ebur128_add_frames_float, (ebur128_state * state, const float *src, size_t frames),
             (state, src, frames), EBUR128_ERROR_NOMEM)
PSTUDIO_LAZY(pstudio_ebur128, int, ebur128_loudness_global, (ebur128_state * state, double *out), (state, out),
             EBUR128_ERROR_INVALID_MODE)
PSTUDIO_LAZY(pstudio_ebur128, int, ebur128_loudness_global_multiple,
             (ebur128_state * *states, size_t size, double *out), (states, size, out), EBUR128_ERROR_INVALID_MODE)
PSTUDIO_LAZY(pstudio_ebur128, int, ebur128_true_peak, (ebur128_state * state, unsigned int channel, double *out),
             (state, channel, out), EBUR128_ERROR_INVALID_MODE)

#if defined(__x86_64__)
#include <xmmintrin.h>
/// Turns flush-to-zero on, as libebur128's K-weighting filter does on x86-64 (TURN_ON_FTZ), and returns the
/// previous MXCSR for `pstudio_restore_csr`. Swift has no access to MXCSR.
static inline unsigned int pstudio_flush_to_zero_on(void) {
  unsigned int previous = _mm_getcsr();
  _mm_setcsr(previous | _MM_FLUSH_ZERO_ON);
  return previous;
}

/// Restores the MXCSR `pstudio_flush_to_zero_on` returned.
static inline void pstudio_restore_csr(unsigned int previous) { _mm_setcsr(previous); }
#endif
#endif
