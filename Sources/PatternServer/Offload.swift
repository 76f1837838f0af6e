import Dispatch
import Synchronization

/// Runs CPU-bound work (compiling, rendering) on a dispatch thread, not on Swift concurrency's cooperative
/// pool — which has one thread per core here and also serves every other request.
enum Offload {
  static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async {
        continuation.resume(with: Result { try work() })
      }
    }
  }

  /// Like `run`, but `work` is handed a flag that turns true when the awaiting task is cancelled (the client went
  /// away) or `deadline` passes, so a long render can stop early.
  static func cancellable<T: Sendable>(
    deadline: ContinuousClock.Instant, _ work: @escaping @Sendable (_ stop: StopFlag) throws -> T
  ) async throws -> T {
    let flag = StopFlag(deadline: deadline)
    return try await withTaskCancellationHandler {
      try await run { try work(flag) }
    } onCancel: {
      flag.raise()
    }
  }
}

/// Raised once from any thread, or by its deadline passing; read by a render between chunks.
final class StopFlag: Sendable {
  private let raised = Atomic(false)
  let deadline: ContinuousClock.Instant
  init(deadline: ContinuousClock.Instant) { self.deadline = deadline }
  func raise() { raised.store(true, ordering: .relaxed) }
  var isRaised: Bool { raised.load(ordering: .relaxed) || ContinuousClock.now >= deadline }
}
