import PatternLanguage

/// The worker's allocator settings: a process that renders one song after another keeps the memory a render
/// freed for the next, instead of returning it and faulting it in again.
///
/// glibc serves blocks from 128 KiB up with fresh `mmap`s until a large enough block is freed (its threshold
/// then rises), so which buffers of a render page-faulted on every job depended on the previous job: after
/// replies stopped going through a 5.8 MB array, the sink pipeline's four 128 KiB chunk slots were mapped and
/// faulted afresh for every render (~125 faults a job). Fixed thresholds make it the same every time.
enum WorkerMalloc {
  /// Blocks under 32 MiB come from the heap; up to 64 MiB freed at its top stays there.
  static func keepFreedMemory() {
    MallocOptions.set(MallocOptions.mmapThreshold, 32 << 20)
    MallocOptions.set(MallocOptions.trimThreshold, 64 << 20)
  }
}
