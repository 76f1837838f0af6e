import Synchronization

/// Mono sample frames at a known rate, shared by every voice that plays them (never copied). Frames may be
/// given, or decoded on first use by `loader` (so listing or checking songs never decodes sample files).
package final class SampleBuffer: Sendable {
  package let sampleRate: Int
  /// Frames in the buffer (known before decoding).
  package let count: Int
  /// The file it comes from, if any (what an export's up-to-date key covers).
  package let origin: String?
  private let state: Mutex<Result<[Float], any Error>?>
  private let loader: (@Sendable () throws -> [Float])?

  package init(frames: [Float], sampleRate: Int, origin: String? = nil) {
    self.sampleRate = sampleRate
    self.origin = origin
    count = frames.count
    state = Mutex(.success(frames))
    loader = nil
  }

  package init(
    sampleRate: Int, count: Int, origin: String? = nil, loader: @escaping @Sendable () throws -> [Float]
  ) {
    self.sampleRate = sampleRate
    self.origin = origin
    self.count = count
    state = Mutex(nil)
    self.loader = loader
  }

  /// The frames, decoded once on first use; a file that cannot be decoded throws (every time).
  package func load() throws -> [Float] {
    try state.withLock { state in
      if state == nil { state = Result { try loader?() ?? [] } }
      return try state!.get()
    }
  }

  /// The frames for the engine, which only plays buffers the facade has loaded (`load()`) without error.
  package var frames: [Float] { (try? load()) ?? [] }
}
