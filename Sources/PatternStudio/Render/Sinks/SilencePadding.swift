import PatternAudioIO

/// Passes a render on to its sinks and then adds `frames` of digital silence (exact zeros in every encoding,
/// never dither) before they finish: an album's gap after a track, in the file, its PCM hash and its length.
public final class SilencePadding: RenderSink {
  let sinks: [any RenderSink]
  /// Frames of silence after the render.
  public let frames: Int64
  private var start: RenderStart?
  private var next: Int64 = 0

  public init(_ sinks: [any RenderSink], frames: Int64) {
    self.sinks = sinks
    self.frames = max(0, frames)
  }

  public var wantsTracks: Bool { sinks.contains { $0.wantsTracks } }

  public func begin(_ render: RenderStart) throws {
    var padded = render
    padded.totalFrames += frames
    start = padded
    for sink in sinks { try sink.begin(padded) }
  }

  public func write(_ chunk: RenderChunk) throws {
    next = chunk.firstFrame + Int64(chunk.frames)
    for sink in sinks { try sink.write(chunk) }
  }

  public func finish() throws {
    if let start, frames > 0 {
      let channels = start.settings.format.channels
      let size = max(1, min(start.maxChunkFrames, Int(min(frames, Int64(Int.max)))))
      // Zeros in each representation a sink may read, allocated once for the whole gap.
      let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: size * channels)
      let ints16 = UnsafeMutableBufferPointer<Int16>.allocate(capacity: size * channels)
      let ints32 = UnsafeMutableBufferPointer<Int32>.allocate(capacity: size * channels)
      floats.initialize(repeating: 0)
      ints16.initialize(repeating: 0)
      ints32.initialize(repeating: 0)
      defer {
        floats.deallocate()
        ints16.deallocate()
        ints32.deallocate()
      }
      var left = frames
      while left > 0 {
        let n = Int(min(Int64(size), left))
        let master = UnsafeBufferPointer(rebasing: floats[0..<n * channels])
        let pcm: PCMChunk
        switch start.settings.format.encoding {
        case .pcm16: pcm = .int16(UnsafeBufferPointer(rebasing: ints16[0..<n * channels]))
        case .pcm24: pcm = .int24(UnsafeBufferPointer(rebasing: ints32[0..<n * channels]))
        case .float32: pcm = .float32(master)
        }
        let tracks = wantsTracks ? Array(repeating: master, count: start.trackNames.count) : []
        let chunk = RenderChunk(firstFrame: next, frames: n, master: master, pcm: pcm, tracks: tracks)
        for sink in sinks { try sink.write(chunk) }
        next += Int64(n)
        left -= Int64(n)
      }
    }
    for sink in sinks { try sink.finish() }
  }

  public func cancel() {
    for sink in sinks { sink.cancel() }
  }
}
