import CEBUR128
import Foundation

/// EBU R128 / ITU-R BS.1770 loudness of interleaved stereo float audio: integrated loudness (LUFS) through
/// libebur128, and true peak (dBTP, 4× oversampled) through `TruePeakMeter`, which measures exactly what
/// libebur128's true-peak mode does, several times faster. Feed chunks in order, then read.
public final class LoudnessMeter {
  let state: UnsafeMutablePointer<ebur128_state>
  let channels: Int
  private let truePeak: TruePeakMeter?

  /// Whether `truePeakDBTP` is measured (the 4× oversampler is most of a meter's cost).
  public var measuresTruePeak: Bool { truePeak != nil }

  /// - Parameter truePeak: measure the true peak too (else `truePeakDBTP` is −∞).
  public init(sampleRate: Int, channels: Int = 2, truePeak: Bool = true) {
    self.channels = channels
    self.truePeak = truePeak ? TruePeakMeter(sampleRate: sampleRate, channels: channels) : nil
    state = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue))
  }

  deinit {
    var s: UnsafeMutablePointer<ebur128_state>? = state
    ebur128_destroy(&s)
  }

  /// Adds interleaved frames.
  public func add(_ samples: UnsafeBufferPointer<Float>) {
    guard let base = samples.baseAddress, samples.count >= channels else { return }
    ebur128_add_frames_float(state, base, samples.count / channels)
    truePeak?.add(samples)
  }

  /// Integrated loudness in LUFS (−∞ for silence).
  public var integratedLUFS: Double {
    var value = 0.0
    ebur128_loudness_global(state, &value)
    return value
  }

  /// The largest true peak over the channels, dBTP.
  public var truePeakDBTP: Double {
    guard let truePeak else { return -.infinity }
    let peak = (0..<channels).reduce(0.0) { max($0, truePeak.peak(channel: $1)) }
    return Decibels.from(amplitude: peak)
  }

  /// The integrated loudness of several meters taken together (an album), LUFS.
  public static func integratedLUFS(of meters: [LoudnessMeter]) -> Double {
    var states: [UnsafeMutablePointer<ebur128_state>?] = meters.map(\.state)
    var value = 0.0
    _ = states.withUnsafeMutableBufferPointer { ebur128_loudness_global_multiple($0.baseAddress, $0.count, &value) }
    return value
  }
}
