#ifndef PATTERN_STUDIO_CSTREAMCOPY_SHIM_H
#define PATTERN_STUDIO_CSTREAMCOPY_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

// Copies `count` bytes from `source` to `target` (which must not overlap) with non-temporal stores where the CPU
// has them (x86-64: SSE2's `movntdq`, which every x86-64 CPU has), then fences, so the bytes are in memory before
// another thread or a device reads them. For buffers a device is about to read (`O_DIRECT` writes): a plain copy
// into a buffer the disk has just read from first fetched every cache line for ownership, ~8× slower on the CI
// machine's VM (68 MB: 22–29 ms against 3 ms). Elsewhere it is `memcpy`.
static inline void pstudio_stream_copy(void *target, const void *source, size_t count) {
#if defined(__x86_64__)
  unsigned char *to = (unsigned char *)target;
  const unsigned char *from = (const unsigned char *)source;
  // Up to the target's next 16-byte boundary with ordinary stores; whole 64-byte lines streamed; the rest ordinary.
  size_t head = (16 - ((uintptr_t)to & 15)) & 15;
  if (head > count) head = count;
  memcpy(to, from, head);
  to += head;
  from += head;
  count -= head;
  size_t lines = count & ~(size_t)63;
  for (size_t i = 0; i < lines; i += 64) {
    __m128i a = _mm_loadu_si128((const __m128i *)(from + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(from + i + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(from + i + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(from + i + 48));
    _mm_stream_si128((__m128i *)(to + i), a);
    _mm_stream_si128((__m128i *)(to + i + 16), b);
    _mm_stream_si128((__m128i *)(to + i + 32), c);
    _mm_stream_si128((__m128i *)(to + i + 48), d);
  }
  memcpy(to + lines, from + lines, count - lines);
  _mm_sfence();
#else
  memcpy(target, source, count);
#endif
}

#endif
