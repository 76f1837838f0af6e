import PatternEngine

/// The wall clock from the first line of `main`: what `render --profile` counts as "in process" (the dynamic
/// loader and the runtime's start-up come before it; `Scripts/bench --profile` measures those from outside).
enum ProcessClock {
  nonisolated(unsafe) private static var started: ContinuousClock.Instant?

  /// Called first thing in `main` (one thread exists then).
  static func start() { started = ContinuousClock.now }

  /// Seconds since `start()`.
  static var elapsedSeconds: Double { started.map { (ContinuousClock.now - $0).seconds } ?? 0 }
}
