#ifndef PATTERN_STUDIO_LAZY_LIBRARY_H
#define PATTERN_STUDIO_LAZY_LIBRARY_H
#include <dlfcn.h>

// Shared libraries loaded on first use (dlopen) instead of at start-up, for the C libraries most commands never
// call: libsndfile (with the seven codec libraries it brings: FLAC, Vorbis, Opus, Ogg, mpg123, LAME),
// libsamplerate and libebur128 cost every pstudio process ~0.6 ms before main, and a `check`, `parse` or
// `--version` uses none of them. Swift calls `pstudio_NAME` wrappers, each the library function NAME, resolved
// once (dlsym) and then called directly; without the library a wrapper returns its `fail` value.

/// Defines `static void *LOADER(void)`: the library `SONAME`, loaded once (NULL when it cannot be).
#define PSTUDIO_LIBRARY(LOADER, SONAME)                                                                        \
  static inline void *LOADER(void) {                                                                           \
    static void *handle;                                                                                       \
    void *h = __atomic_load_n(&handle, __ATOMIC_ACQUIRE);                                                      \
    if (!h) {                                                                                                  \
      /* dlopen counts references: two threads racing here both get the same library. */                     \
      h = dlopen(SONAME, RTLD_NOW | RTLD_LOCAL);                                                               \
      if (h) __atomic_store_n(&handle, h, __ATOMIC_RELEASE);                                                   \
    }                                                                                                          \
    return h;                                                                                                  \
  }

/// Defines `pstudio_NAME PARAMS`, calling NAME from `LOADER()`'s library with ARGS, or returning FAIL.
#define PSTUDIO_LAZY(LOADER, RET, NAME, PARAMS, ARGS, FAIL)                                                     \
  static inline RET pstudio_##NAME PARAMS {                                                                    \
    static RET(*function) PARAMS;                                                                               \
    RET(*f) PARAMS = __atomic_load_n(&function, __ATOMIC_ACQUIRE);                                             \
    if (!f) {                                                                                                  \
      void *h = LOADER();                                                                                      \
      if (!h || !(f = (RET(*) PARAMS)dlsym(h, #NAME))) return FAIL;                                            \
      __atomic_store_n(&function, f, __ATOMIC_RELEASE);                                                        \
    }                                                                                                          \
    return f ARGS;                                                                                             \
  }

/// `PSTUDIO_LAZY` for a function returning void (nothing happens without the library).
#define PSTUDIO_LAZY_VOID(LOADER, NAME, PARAMS, ARGS)                                                           \
  static inline void pstudio_##NAME PARAMS {                                                                   \
    static void(*function) PARAMS;                                                                              \
    void(*f) PARAMS = __atomic_load_n(&function, __ATOMIC_ACQUIRE);                                            \
    if (!f) {                                                                                                  \
      void *h = LOADER();                                                                                      \
      if (!h || !(f = (void(*) PARAMS)dlsym(h, #NAME))) return;                                                \
      __atomic_store_n(&function, f, __ATOMIC_RELEASE);                                                        \
    }                                                                                                          \
    f ARGS;                                                                                                    \
  }
#endif
