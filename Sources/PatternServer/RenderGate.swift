import Synchronization

/// Admits at most `maxActive` renders at once and lets at most `maxQueued` wait, first come first served. A
/// burst beyond that is refused at once (429), and a wait longer than the timeout ends in 503: memory and cores
/// stay bounded whatever arrives.
final class RenderGate: Sendable {
  enum Refusal: Error {
    /// The queue is full.
    case full
    /// Waited longer than the timeout.
    case timedOut
  }

  private struct Waiter {
    var ticket: Int
    var continuation: CheckedContinuation<Void, any Error>
  }

  private struct State {
    var active = 0
    var waiting: [Waiter] = []
    var nextTicket = 0
  }

  let maxActive: Int
  let maxQueued: Int
  private let state = Mutex(State())

  init(maxActive: Int, maxQueued: Int) {
    self.maxActive = max(1, maxActive)
    self.maxQueued = max(0, maxQueued)
  }

  /// Renders running and waiting now.
  var load: (active: Int, queued: Int) { state.withLock { ($0.active, $0.waiting.count) } }

  /// Runs `body` once a slot is free, or throws `Refusal`.
  func withSlot<T: Sendable>(timeout: Duration, _ body: () async throws -> T) async throws -> T {
    try await acquire(timeout: timeout)
    defer { release() }
    return try await body()
  }

  private func acquire(timeout: Duration) async throws {
    enum Admission { case now, queued(Int), refused }
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      // One decision under one lock: a slot freed meanwhile is never missed.
      let admission = state.withLock { s -> Admission in
        if s.active < maxActive && s.waiting.isEmpty {
          s.active += 1
          return .now
        }
        guard s.waiting.count < maxQueued else { return .refused }
        s.nextTicket += 1
        s.waiting.append(Waiter(ticket: s.nextTicket, continuation: continuation))
        return .queued(s.nextTicket)
      }
      switch admission {
      case .now: continuation.resume()
      case .refused: continuation.resume(throwing: Refusal.full)
      case .queued(let ticket):
        Task {
          try? await Task.sleep(for: timeout)
          self.expire(ticket)
        }
      }
    }
  }

  /// A waiter still queued when its time is up leaves with `timedOut`.
  private func expire(_ ticket: Int) {
    let expired = state.withLock { s -> Waiter? in
      guard let i = s.waiting.firstIndex(where: { $0.ticket == ticket }) else { return nil }
      return s.waiting.remove(at: i)
    }
    expired?.continuation.resume(throwing: Refusal.timedOut)
  }

  /// Hands the slot to the first waiter, or frees it.
  private func release() {
    let next = state.withLock { s -> Waiter? in
      if s.waiting.isEmpty {
        s.active -= 1
        return nil
      }
      return s.waiting.removeFirst()
    }
    next?.continuation.resume()
  }
}
