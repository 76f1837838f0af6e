#ifndef PATTERN_STUDIO_CEBUR128_SHIM_H
#define PATTERN_STUDIO_CEBUR128_SHIM_H
#include <ebur128.h>

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
