import Foundation
import PatternLanguage
import Synchronization

/// The listeners of `GET /api/live?id=…`, per pattern id: a save of the pattern and the progress of its renders
/// are sent to every socket open on it. Messages are JSON text; each listener gets them in the order they were
/// published (they are handed over under one lock).
final class LiveHub: Sendable {
  private let listeners = Mutex<[String: [UUID: AsyncStream<String>.Continuation]]>([:])
  /// Messages a slow listener may fall behind by before the oldest are dropped.
  static let backlog = 256
  /// Sockets one pattern may have open at once (a class of 30 with two tabs each fits; a flood does not).
  static let maxListenersPerPattern = 100

  /// A new listener on pattern `id`: its key (for `leave`) and its messages.
  func join(_ id: String) -> (UUID, AsyncStream<String>) {
    let key = UUID()
    let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(Self.backlog))
    listeners.withLock { $0[id, default: [:]][key] = continuation }
    return (key, stream)
  }

  /// Ends a listener (its socket closed).
  func leave(_ id: String, key: UUID) {
    let continuation = listeners.withLock { table -> AsyncStream<String>.Continuation? in
      let removed = table[id]?.removeValue(forKey: key)
      if table[id]?.isEmpty == true { table[id] = nil }
      return removed
    }
    continuation?.finish()
  }

  /// How many sockets listen on `id`.
  func listenerCount(_ id: String) -> Int {
    listeners.withLock { $0[id]?.count ?? 0 }
  }

  /// Sends `message` to every listener on `id`.
  func publish(_ id: String, _ message: JSONValue) {
    let text = message.serialized()
    listeners.withLock { table in
      for continuation in (table[id] ?? [:]).values { continuation.yield(text) }
    }
  }

  // MARK: Messages

  /// `{"type": "ready", "id"}`: the socket listens (sent first, so a client knows it will miss nothing after).
  static func ready(id: String) -> JSONValue {
    .object([("type", .string("ready")), ("id", .string(id))])
  }
  /// `{"type": "saved", "id", "version"}`: someone saved a new version.
  static func saved(id: String, version: Int) -> JSONValue {
    .object([("type", .string("saved")), ("id", .string(id)), ("version", .integer(Int64(version)))])
  }
  /// `{"type": "progress", "id", "percent"}`: a render of the pattern is `percent` (0 … 100) done.
  static func progress(id: String, percent: Int) -> JSONValue {
    .object([("type", .string("progress")), ("id", .string(id)), ("percent", .integer(Int64(percent)))])
  }
}
