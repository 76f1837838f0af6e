import PatternAudioIO

/// Two loudness meters over one render in one pass, as an album track's plan-round render needs them:
/// `plan` reads the master stage's float output (what `LoudnessSink(measuresMaster: true)` reads) and `file`
/// the PCM as written followed by `gapFrames` of digital silence (what a `LoudnessSink` inside
/// `SilencePadding` reads). Their K-weighting filters run side by side (`LoudnessMeter.addPair`); each meter
/// ends with the figures the two sinks give.
public final class PairedLoudnessSink: RenderSink {
  /// The meters, after `begin`; read them when the render finished.
  public private(set) var plan: LoudnessMeter?
  public private(set) var file: LoudnessMeter?
  private let planTruePeak: Bool
  private let gapFrames: Int64
  private var channels = 2
  private var scratch: [Float] = []

  /// - Parameters:
  ///   - planTruePeak: Measure the plan's true peak too (the file's always is).
  ///   - gapFrames: Frames of silence the file has after the render.
  public init(planTruePeak: Bool, gapFrames: Int64) {
    self.planTruePeak = planTruePeak
    self.gapFrames = max(0, gapFrames)
  }

  /// Makes both meters for the render's rate and channels.
  public func begin(_ render: RenderStart) throws {
    channels = render.settings.format.channels
    let rate = render.settings.sampleRate
    plan = LoudnessMeter(sampleRate: rate, channels: channels, truePeak: planTruePeak)
    file = LoudnessMeter(sampleRate: rate, channels: channels)
    scratch = [Float](repeating: 0, count: render.maxChunkFrames * channels)
  }

  /// Measures the chunk's master output (plan) and its PCM (file) together.
  public func write(_ chunk: RenderChunk) throws {
    guard let plan, let file else { return }
    scratch.withUnsafeMutableBufferPointer {
      LoudnessMeter.addPair(plan, chunk.master, file, LoudnessSink.floats(chunk.pcm, scratch: $0))
    }
  }

  /// The gap's silence, into the file's meter only (exact zeros in every encoding).
  public func finish() throws {
    guard let file, !scratch.isEmpty else { return }
    let (chunk, channels) = (scratch.count / self.channels, self.channels)
    var left = gapFrames
    scratch.withUnsafeMutableBufferPointer { zeros in
      zeros.update(repeating: 0)
      while left > 0 {
        let n = Int(min(Int64(chunk), left))
        file.add(UnsafeBufferPointer(rebasing: zeros[0..<channels * n]))
        left -= Int64(n)
      }
    }
  }

  /// Drops both meters.
  public func cancel() {
    plan = nil
    file = nil
  }
}
