// What the kernel's algorithm allows, measured beside the ceiling (naive_saw.c): W1's 64 saws with
// pstudio's band-limiting structure in C — sixteen frames per pass, a countdown to the next edge's guard window,
// and near an edge a pass that corrects all sixteen lanes (both PolyBLEP branches, blended, as
// SawShape.sample16 does) — added into a 4,096-frame stereo tile per voice.
//
// Built twice by the commands below: with FMA contraction (gcc's default) and without it
// (-ffp-contract=off: every product rounded, then every sum, as IEEE and pstudio's bit-exact renders do).
// The gap between the two is what bit-identity with the portable build costs; pstudio's own rate is the
// figure to hold against the second.
//
//   gcc -O3 -march=native -mprefer-vector-width=512 polyblep_saw.c -o fused && ./fused
//   gcc -O3 -march=native -mprefer-vector-width=512 -ffp-contract=off polyblep_saw.c -o ieee && ./ieee
//
// `./ieee RING OFFSET` moves the tile through a ring of RING frames per channel (a multiple of 4,096), the right
// channel's ring OFFSET bytes past the end of the left one's (as a lane's output lines, StereoLines.swift), instead
// of adding every tile into the same two buffers (OFFSET 2,048 when not given). Measured 2026-12-04 (five
// rounds): `4096 0` 7,940–8,024 M, `49152 0` 5,961–7,069, `49152 64` 5,976–7,030, `49152 2048` 7,994–8,050 — the
// loops slow down when frame i of the two channels match in their address bits below 4 KB.
//
// Measured 2026-12-04 on the 2-core CI-class VM, five rounds of fused, IEEE, naive_saw.c and pstudio's W1
// (one thread) back to back (each C program prints its best of five runs), medians over the rounds: fused 7,780 M voice-samples/s, IEEE 6,443 M, ceiling 12,810 M (61 % and
// 50 %), pstudio 5,759 M (45 %; its synthesis time also holds the envelopes, the tiles' heads and tails and
// the lane bookkeeping, ~8 % of it in a profile).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef float vf __attribute__((vector_size(64)));
typedef int32_t vi __attribute__((vector_size(64)));
typedef uint32_t vu __attribute__((vector_size(64)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// One voice's constants (OscillatorKernel.BandLimit, in phase units) and its gains.
typedef struct {
  uint32_t inc, guardLow, room16, step16;
  float dtP, omdP, invP, gl, gr;
} Voice;

// Sixteen saw samples with both PolyBLEP branches on every lane (zero far from the edge).
static inline vf corrected(vu ph, const Voice *v) {
  vf m = __builtin_convertvector((vi)ph, vf);
  vf x = m * 0x1p-31f, tp = m + 0x1p31f;
  vi low = tp < v->dtP, high = (tp > v->omdP) & ~low;
  vf y0 = tp * v->invP, r0 = y0 + y0 - y0 * y0 - 1;
  vf y1 = (tp - 0x1p32f) * v->invP, r1 = y1 * y1 + y1 + y1 + 1;
  return x - (vf)(((vi)r0 & low) | ((vi)r1 & high));
}

static inline void add(float *l, float *r, vf s, float gl, float gr) {
  *(vf *)l = *(vf *)l + s * gl;
  *(vf *)r = *(vf *)r + s * gr;
}

static const vu lanes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// A voice over `n` frames (a multiple of 16) of the tile from frame k0: smooth passes while the countdown says
// no edge is near, a corrected pass otherwise (LaneRenderer's oscillator run, OscillatorKernel.accumulateWave).
static void voice(const Voice *v, uint32_t k0, float *L, float *R, int n) {
  vu ph = (vu){0} + k0 * v->inc + lanes * v->inc, step = (vu){0} + v->inc * 16;
  int i = 0;
  while (i < n) {
    uint32_t room = 0x80000000u - (ph[0] - v->guardLow);
    if (room == 0xffffffffu) room--;
    if (room < v->room16) {
      add(L + i, R + i, corrected(ph, v), v->gl, v->gr);
      ph += step;
      i += 16;
      continue;
    }
    do {
      // The phase as an integer times gain·2^-31 (ScaleFold.gains: W1's level is a power of two).
      add(L + i, R + i, __builtin_convertvector((vi)ph, vf), v->gl * 0x1p-31f, v->gr * 0x1p-31f);
      ph += step;
      i += 16;
      room -= v->step16;
    } while (room >= v->room16 && i < n);
  }
}

int main(int argc, char **argv) {
  enum { voices = 64, rate = 48000, seconds = 60, tile = 4096 };
  const long frames = (long)seconds * rate;
  Voice vs[voices];
  for (int k = 0; k < voices; k++) {
    double hz = 440.0;  // W1's notes: MIDI 33 … 96, panned from left to right
    for (int q = 69; q < 33 + k; q++) hz *= 1.0594630943592953;
    for (int q = 69; q > 33 + k; q--) hz /= 1.0594630943592953;
    Voice *v = &vs[k];
    v->inc = (uint32_t)(hz / rate * 4294967296.0);
    double d = v->inc / 4294967296.0;
    v->dtP = (float)d * 0x1p32f;
    v->omdP = (1 - (float)d) * 0x1p32f;
    v->invP = (float)(1 / d) * 0x1p-32f;
    v->gl = 0.3f * (float)(voices - k) / voices;
    v->gr = 0.3f * (float)(k + 1) / voices;
    uint64_t low = (uint64_t)v->inc + 4096, span16 = 15 * (uint64_t)v->inc + 2 * low;
    v->guardLow = (uint32_t)low;
    v->room16 = span16 >= (1ull << 32) ? 0xffffffffu : (uint32_t)span16;
    v->step16 = v->inc * 16;
  }
  // RING: whole tiles, at least one; OFFSET: whole cache lines, 0 … 4,096 bytes (the allocation's slack).
  int ring = argc > 1 ? atoi(argv[1]) / tile * tile : tile, offset = argc > 2 ? atoi(argv[2]) / 64 * 64 : 2048;
  if (ring < tile) ring = tile;
  if (offset < 0 || offset > 4096) {
    fprintf(stderr, "usage: %s [RING frames, a multiple of %d] [OFFSET bytes, 0 … 4096]\n", argv[0], (int)tile);
    return 2;
  }
  char *lines = aligned_alloc(4096, 2 * (size_t)ring * sizeof(float) + 4096);
  float *ringL = (float *)lines, *ringR = (float *)(lines + (size_t)ring * sizeof(float) + offset);
  float *L = ringL, *R = ringR;
  float sink = 0;
  double fastest = 1e9;
  for (int run = 0; run < 5; run++) {
    double t0 = now();
    for (long b = 0; b < frames; b += tile) {
      int n = (frames - b < tile ? (int)(frames - b) : tile) & ~15;
      long at = (b / tile) % (ring / tile) * tile;
      L = ringL + at;
      R = ringR + at;
      memset(L, 0, tile * sizeof(float));
      memset(R, 0, tile * sizeof(float));
      for (int k = 0; k < voices; k++) voice(&vs[k], (uint32_t)b, L, R, n);
      sink += L[n / 3] + R[n / 2];
    }
    double t = now() - t0;
    if (t < fastest) fastest = t;
  }
  printf("polyblep %.0f\n", voices * (double)frames / fastest / 1e6);
  volatile float keep = sink;  // the sums are used, so no loop is optimised away
  (void)keep;
  return 0;
}
