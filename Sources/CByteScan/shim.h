#ifndef PATTERN_STUDIO_CBYTESCAN_SHIM_H
#define PATTERN_STUDIO_CBYTESCAN_SHIM_H
#include <stddef.h>
#include <stdint.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

// Whether `c` stops the scan wherever it is: `"`, `(`, `)`, `;`, `[`, `]`, `{` or `}` (a `/` stops it only before
// `/` or `*`).
static inline int pstudio_stops_scan(uint8_t c) {
  return c == '"' || c == '(' || c == ')' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}';
}

// The offset of the first byte at or after `i`, below `count`, that `SourceCuts` must look at: `"`, `(`, `)`, `;`,
// `[`, `]`, `{`, `}`, or a `/` followed by `/` or `*` (a comment). `count` when there is none. A `/` that starts no
// comment (`1/2`, in nearly every note) is not returned: the scan would only step over it.
//
// x86-64: sixteen bytes at a time with SSE2 (which every x86-64 CPU has), the rest one by one; elsewhere one by
// one. Both give the same offset (`ByteScanTests`).
static inline size_t pstudio_next_structural(const uint8_t *b, size_t i, size_t count) {
#if defined(__x86_64__)
  // One more byte is read than is tested (the byte after a `/`), so the wide loop stops 17 bytes from the end.
  const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('/'), star = _mm_set1_epi8('*');
  const __m128i semicolon = _mm_set1_epi8(';'), paren = _mm_set1_epi8('(');
  const __m128i open = _mm_set1_epi8('['), close = _mm_set1_epi8(']');
  // `(` and `)` differ in bit 0; `[` and `{`, `]` and `}` in bit 5 (0x20): compared with those bits cleared.
  const __m128i noBit0 = _mm_set1_epi8((char)0xFE), noBit5 = _mm_set1_epi8((char)0xDF);
  while (i + 17 <= count) {
    __m128i v = _mm_loadu_si128((const __m128i *)(b + i));
    __m128i next = _mm_loadu_si128((const __m128i *)(b + i + 1));
    __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, semicolon));
    hits = _mm_or_si128(hits, _mm_cmpeq_epi8(_mm_and_si128(v, noBit0), paren));
    __m128i brackets = _mm_and_si128(v, noBit5);
    hits = _mm_or_si128(hits, _mm_or_si128(_mm_cmpeq_epi8(brackets, open), _mm_cmpeq_epi8(brackets, close)));
    __m128i comment = _mm_or_si128(_mm_cmpeq_epi8(next, slash), _mm_cmpeq_epi8(next, star));
    hits = _mm_or_si128(hits, _mm_and_si128(_mm_cmpeq_epi8(v, slash), comment));
    unsigned mask = (unsigned)_mm_movemask_epi8(hits);
    if (mask != 0) return i + (size_t)__builtin_ctz(mask);
    i += 16;
  }
#endif
  for (; i < count; i++) {
    uint8_t c = b[i];
    if (c == '/') {
      if (i + 1 < count && (b[i + 1] == '/' || b[i + 1] == '*')) return i;
    } else if (pstudio_stops_scan(c)) {
      return i;
    }
  }
  return count;
}

// How many bytes of `b[0 ..< count]` equal `byte`: sixteen at a time with SSE2 on x86-64, one by one elsewhere.
static inline size_t pstudio_count_byte(const uint8_t *b, size_t count, uint8_t byte) {
  size_t total = 0, i = 0;
#if defined(__x86_64__)
  const __m128i wanted = _mm_set1_epi8((char)byte), zero = _mm_setzero_si128();
  while (i + 16 <= count) {
    // Up to 255 blocks counted per lane (each match subtracts -1), then summed across lanes (`psadbw`).
    __m128i lanes = zero;
    size_t end = i + 16 * 255 < count ? i + 16 * 255 : count;
    for (; i + 16 <= end; i += 16) {
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + i)), wanted));
    }
    __m128i sums = _mm_sad_epu8(lanes, zero);
    total += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
  }
#endif
  for (; i < count; i++) total += b[i] == byte;
  return total;
}

#endif
