import Dispatch

/// Independent items split over a few threads: what the mix graph's stages and a kit's variants use.
enum ParallelItems {
  /// Runs `body` for 0 ..< count, item i on worker i mod workers (one worker: in order, on this thread). The
  /// items must touch disjoint state; the box only carries the closure across the barrier.
  static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
    let workers = min(threads, count)
    if workers <= 1 {
      for i in 0..<count { body(i) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedBody(run: body)
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        for i in stride(from: w, to: count, by: workers) { box.run(i) }
      }
    }
  }
}
