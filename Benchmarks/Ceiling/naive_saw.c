// The synthesis ceiling Scripts/bench measures pstudio's kernel against: W1's work (64 saws, 60 s, 48 kHz,
// each panned into a stereo sum) with the cheapest saw there is — the phase read as a signed integer and
// scaled, no band-limiting — in C at -O3 -march=native, built with -ffast-math (its multiply-adds fused) and with
// -ffp-contract=off (every product rounded, as pstudio's bit-identical renders must). Scripts/bench at 8d30bf5
// on the CI-class machine, medians of five runs each: 18,829 M voice-samples/s fused, 14,141 IEEE (the issue's
// 14,400 for this machine's naive saw). PolyBLEP only adds work near a discontinuity, so a band-limited saw cannot
// be faster than this; the issue asks for half of it.
//
// Prints the best of 5 runs per block length (1,024 … 8,192 frames; the stereo block is written by every
// voice, so it is fastest while it fits in L1) and then "ceiling <M voice-samples/s>", the best of them.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  enum { voices = 64, rate = 48000, seconds = 60 };
  const long frames = (long)seconds * rate;
  uint32_t inc[voices];
  float gl[voices], gr[voices];
  for (int v = 0; v < voices; v++) {
    // W1's notes: MIDI 33 … 96, panned from left to right.
    double hz = 440.0;
    for (int k = 69; k < 33 + v; k++) hz *= 1.0594630943592953;
    for (int k = 69; k > 33 + v; k--) hz /= 1.0594630943592953;
    inc[v] = (uint32_t)(hz / rate * 4294967296.0);
    gl[v] = 0.3f * (float)(voices - v) / voices;
    gr[v] = 0.3f * (float)(v + 1) / voices;
  }
  double best = 0;
  float sink = 0;
  for (int block = 1024; block <= 8192; block *= 2) {
    float *left = aligned_alloc(64, block * sizeof(float)), *right = aligned_alloc(64, block * sizeof(float));
    double fastest = 1e9;
    for (int run = 0; run < 5; run++) {
      double t0 = now();
      for (long b = 0; b < frames; b += block) {
        int n = frames - b < block ? (int)(frames - b) : block;
        memset(left, 0, n * sizeof(float));
        memset(right, 0, n * sizeof(float));
        for (int v = 0; v < voices; v++) {
          uint32_t p = (uint32_t)b * inc[v], d = inc[v];
          float a = gl[v] * 0x1p-31f, c = gr[v] * 0x1p-31f;
          for (int i = 0; i < n; i++) {
            float s = (float)(int32_t)(p + (uint32_t)i * d);
            left[i] += s * a;
            right[i] += s * c;
          }
        }
        sink += left[n / 3] + right[n / 2];
      }
      double t = now() - t0;
      if (t < fastest) fastest = t;
    }
    double rateM = voices * (double)frames / fastest / 1e6;
    printf("block %5d: %8.0f M voice-samples/s\n", block, rateM);
    if (rateM > best) best = rateM;
    free(left);
    free(right);
  }
  printf("ceiling %.0f\n", best);
  volatile float keep = sink;  // the sums are used, so no loop is optimised away
  (void)keep;
  return 0;
}
