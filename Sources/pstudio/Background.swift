import Dispatch
import Synchronization

/// A value computed on another thread while the caller does something else; `value` waits for it.
///
/// `render` uses it to load the instrument library (module files, SoundFont listings, folder scans: ~6 ms)
/// while the song parses, on the second core that start-up otherwise leaves idle.
final class Background<Value: Sendable>: Sendable {
  private let done = DispatchSemaphore(value: 0)
  private let result = Mutex<Value?>(nil)

  /// Starts `body` on a global queue; once its value is ready, the same thread runs `then` (work nobody waits
  /// for).
  init(_ body: @escaping @Sendable () -> Value, then: @escaping @Sendable () -> Void = {}) {
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      let v = body()
      result.withLock { $0 = v }
      done.signal()
      then()
    }
  }

  /// The value, waiting for it if it is not ready (call once).
  var value: Value {
    done.wait()
    return result.withLock { $0! }
  }
}
