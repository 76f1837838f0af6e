import PatternAudioIO
import PatternEngine

/// Turns the master stage's float chunks into the PCM of an output format: the one place that quantises,
/// used by in-memory renders on the caller's thread and by `BackgroundWriter` on its queue, so files and
/// memory get the same bits.
struct PCMQuantizer {
  let encoding: SampleEncoding
  let channels: Int
  let seed: UInt64
  /// The largest chunk it accepts, in samples.
  let maxSamples: Int
  // Only the buffer the encoding needs is allocated, once.
  private var ints16: [Int16]
  private var ints32: [Int32]

  /// - Parameter maxSamples: The largest chunk, in samples (frames × channels).
  init(encoding: SampleEncoding, channels: Int, seed: UInt64, maxSamples: Int) {
    self.encoding = encoding
    self.channels = channels
    self.seed = seed
    self.maxSamples = maxSamples
    ints16 = [Int16](repeating: 0, count: encoding == .pcm16 ? maxSamples : 0)
    ints32 = [Int32](repeating: 0, count: encoding == .pcm24 ? maxSamples : 0)
  }

  /// A quantiser for `options`' format, sized for the largest chunk a render with these settings produces.
  init(_ options: RenderOptions) {
    self.init(
      encoding: options.format.encoding, channels: options.format.channels, seed: options.seed,
      maxSamples: RenderSession.maxChunkFrames(options.engineSettings) * options.format.channels)
  }

  /// Quantises `samples` (interleaved, starting at absolute frame `firstFrame`) and passes the PCM to `body`.
  mutating func quantize<R>(
    _ samples: UnsafeBufferPointer<Float>, firstFrame: Int64, _ body: (PCMChunk) throws -> R
  ) rethrows -> R {
    let (channels, seed) = (self.channels, self.seed)
    switch encoding {
    case .float32:
      return try body(.float32(samples))
    case .pcm16:
      return try ints16.withUnsafeMutableBufferPointer { buf in
        let out = UnsafeMutableBufferPointer(rebasing: buf[0..<samples.count])
        Master.quantize16(samples, channels: channels, firstFrame: firstFrame, seed: seed, into: out)
        return try body(.int16(UnsafeBufferPointer(out)))
      }
    case .pcm24:
      return try ints32.withUnsafeMutableBufferPointer { buf in
        let out = UnsafeMutableBufferPointer(rebasing: buf[0..<samples.count])
        Master.quantize24(samples, channels: channels, firstFrame: firstFrame, seed: seed, into: out)
        return try body(.int24(UnsafeBufferPointer(out)))
      }
    }
  }
}
