import PatternAudioIO
import PatternEngine

/// Turns the master stage's float chunks into the PCM of an output encoding: the one place that quantises,
/// so every sink gets the same bits.
struct PCMQuantizer {
  let encoding: SampleEncoding
  let channels: Int
  /// The largest chunk it accepts, in samples.
  let maxSamples: Int
  // Only the buffer the encoding needs is allocated, once.
  private var ints16: [Int16]
  private var ints32: [Int32]

  /// - Parameter maxSamples: The largest chunk, in samples (frames × channels).
  init(encoding: SampleEncoding, channels: Int, maxSamples: Int) {
    self.encoding = encoding
    self.channels = channels
    self.maxSamples = maxSamples
    ints16 = [Int16](repeating: 0, count: encoding == .pcm16 ? maxSamples : 0)
    ints32 = [Int32](repeating: 0, count: encoding == .pcm24 ? maxSamples : 0)
  }

  /// Quantises `samples` (interleaved, starting at absolute frame `firstFrame`) and passes the PCM to `body`.
  /// The dither is keyed by `Master.ditherSeed` and the sample index: the same for every song and setting.
  mutating func quantize<R>(
    _ samples: UnsafeBufferPointer<Float>, firstFrame: Int64, _ body: (PCMChunk) throws -> R
  ) rethrows -> R {
    let channels = self.channels
    switch encoding {
    case .float32:
      return try body(.float32(samples))
    case .pcm16:
      return try ints16.withUnsafeMutableBufferPointer { buf in
        let out = UnsafeMutableBufferPointer(rebasing: buf[0..<samples.count])
        Master.quantize16(samples, channels: channels, firstFrame: firstFrame, seed: Master.ditherSeed, into: out)
        return try body(.int16(UnsafeBufferPointer(out)))
      }
    case .pcm24:
      return try ints32.withUnsafeMutableBufferPointer { buf in
        let out = UnsafeMutableBufferPointer(rebasing: buf[0..<samples.count])
        Master.quantize24(samples, channels: channels, firstFrame: firstFrame, seed: Master.ditherSeed, into: out)
        return try body(.int24(UnsafeBufferPointer(out)))
      }
    }
  }
}
