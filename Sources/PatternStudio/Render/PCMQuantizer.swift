import PatternAudioIO
import PatternEngine

/// Turns the master stage's float chunks into the PCM of an output encoding: the one place that quantises,
/// so every sink gets the same bits. Each chunk is quantised into a buffer the caller owns (one per chunk in
/// flight), so it can be done on one thread and read on another.
struct PCMQuantizer {
  let encoding: SampleEncoding
  let channels: Int
  /// The largest chunk it accepts, in samples.
  let maxSamples: Int

  /// - Parameter maxSamples: The largest chunk, in samples (frames × channels).
  init(encoding: SampleEncoding, channels: Int, maxSamples: Int) {
    self.encoding = encoding
    self.channels = channels
    self.maxSamples = maxSamples
  }

  /// Bytes a buffer for `quantize(_:firstFrame:into:)` needs (none for float: the samples are the PCM).
  var bufferBytes: Int {
    switch encoding {
    case .float32: 0
    case .pcm16: maxSamples * 2
    case .pcm24: maxSamples * 4
    }
  }

  /// Quantises `samples` (interleaved, starting at absolute frame `firstFrame`) into `buffer` (`bufferBytes`)
  /// and returns the PCM (for 32-bit float, `samples` themselves). The dither is keyed by `Master.ditherSeed`
  /// and the sample index: the same for every song and setting, and for chunks quantised in any order.
  func quantize(_ samples: UnsafeBufferPointer<Float>, firstFrame: Int64, into buffer: UnsafeMutableRawPointer)
    -> PCMChunk
  {
    switch encoding {
    case .float32:
      return .float32(samples)
    case .pcm16:
      let out = UnsafeMutableBufferPointer(
        start: buffer.bindMemory(to: Int16.self, capacity: samples.count), count: samples.count)
      Master.quantize16(samples, channels: channels, firstFrame: firstFrame, seed: Master.ditherSeed, into: out)
      return .int16(UnsafeBufferPointer(out))
    case .pcm24:
      let out = UnsafeMutableBufferPointer(
        start: buffer.bindMemory(to: Int32.self, capacity: samples.count), count: samples.count)
      Master.quantize24(samples, channels: channels, firstFrame: firstFrame, seed: Master.ditherSeed, into: out)
      return .int24(UnsafeBufferPointer(out))
    }
  }
}
