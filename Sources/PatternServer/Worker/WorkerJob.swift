/// One piece of CPU work the server hands to a worker process: compile (`parse`), list the `events`, `render`
/// or export `midi` of a source.
struct WorkerJob: Codable, Sendable {
  enum Kind: String, Codable, Sendable { case parse, events, render, midi }

  var kind: Kind
  /// The source's name in diagnostics.
  var name: String
  var code: String
  /// The file title when the song has none (render tags).
  var title: String = "pattern"
  /// Render settings: `wav`/`flac`, `16`/`24`/`32f`, Hz, and the longest song allowed, seconds.
  var container: String = "wav"
  var bits: String = "16"
  var rate: Int = 48_000
  var maxSeconds: Double = 600
  /// `render`: send `progress` frames (whole percent, rising, the last 100) before the reply.
  var progress: Bool? = nil
  /// `render`: threads to render on (nil: one). The PCM is the same on any number.
  var threads: Int? = nil
}

/// A worker's answer: the header of a reply frame (any bytes — audio, MIDI — follow it).
struct WorkerReply: Codable, Sendable {
  enum Status: String, Codable, Sendable {
    case ok
    /// The pattern has errors (or exceeds a limit): `message` is the first, `json` every diagnostic.
    case invalid
    /// The worker failed on something else (a file it could not read): `message` says what.
    case failed
    /// Not the reply yet: the render is `percent` done (only for jobs that asked for progress).
    case progress
  }

  var status: Status
  /// `parse`: the parse result's JSON text; `invalid`: the diagnostics as a JSON array.
  var json: String? = nil
  var message: String? = nil
  /// `parse`: whether the pattern compiled without errors.
  var succeeded: Bool? = nil
  /// `parse`: every diagnostic, as a JSON array.
  var diagnostics: String? = nil
  var frames: Int64? = nil
  var seconds: Double? = nil
  /// `render`: the worker's wall time for compile, render and encode, seconds.
  var elapsed: Double? = nil
  var pcm: String? = nil
  var warnings: Int? = nil
  /// `progress`: 0 … 100.
  var percent: Int? = nil
  /// The reply's bytes are this many bytes in the shared memory file (`SharedReply`), not in the frame.
  var shared: Int? = nil
}
