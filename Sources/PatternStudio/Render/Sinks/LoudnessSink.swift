import PatternAudioIO

/// Measures what is written (EBU R128 integrated loudness and true peak, libebur128): integer PCM is read
/// back as floats first, so the figures describe the file, dither and all.
public final class LoudnessSink: RenderSink {
  /// The meter, after `begin`; read it when the render finished.
  public private(set) var meter: LoudnessMeter?
  private var scratch: [Float] = []

  private let truePeak: Bool
  private let measuresMaster: Bool

  /// - Parameters:
  ///   - truePeak: Measure the true peak too (off: loudness only, several times cheaper).
  ///   - measuresMaster: Measure the master stage's float output rather than what is written (its PCM): what a
  ///     float render would measure, whatever the file's format.
  public init(truePeak: Bool = true, measuresMaster: Bool = false) {
    self.truePeak = truePeak
    self.measuresMaster = measuresMaster
  }

  public func begin(_ render: RenderStart) throws {
    meter = LoudnessMeter(sampleRate: render.settings.sampleRate, truePeak: truePeak)
    scratch = [Float](repeating: 0, count: render.maxChunkFrames * 2)
  }

  public func write(_ chunk: RenderChunk) throws {
    guard let meter else { return }
    if measuresMaster {
      meter.add(chunk.master)
      return
    }
    scratch.withUnsafeMutableBufferPointer { meter.add(Self.floats(chunk.pcm, scratch: $0)) }
  }

  /// The PCM as the floats a meter reads: float PCM as it is, integers scaled to ±1 into `scratch` (which holds
  /// the chunk).
  static func floats(_ pcm: PCMChunk, scratch: UnsafeMutableBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
    func convert(_ count: Int, _ sample: (Int) -> Float) -> UnsafeBufferPointer<Float> {
      for i in 0..<count { scratch[i] = sample(i) }
      return UnsafeBufferPointer(rebasing: scratch[0..<count])
    }
    switch pcm {
    case .float32(let b): return b
    case .int16(let b): return convert(b.count) { Float(b[$0]) * (1 / 32_768) }
    case .int24(let b): return convert(b.count) { Float(b[$0] >> 8) * (1 / 8_388_608) }
    }
  }

  public func finish() throws {}

  public func cancel() { meter = nil }
}
