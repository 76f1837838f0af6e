import CEBUR128
import Foundation

/// EBU R128 / ITU-R BS.1770 loudness of interleaved stereo float audio, through libebur128: integrated
/// loudness (LUFS) and true peak (dBTP, 4× oversampled by the library). Feed chunks in order, then read.
public final class LoudnessMeter {
  let state: UnsafeMutablePointer<ebur128_state>
  let channels: Int

  /// Whether `truePeakDBTP` is measured (libebur128's 4× oversampler is most of a meter's cost).
  public let measuresTruePeak: Bool

  /// - Parameter truePeak: measure the true peak too (else `truePeakDBTP` is −∞).
  public init(sampleRate: Int, channels: Int = 2, truePeak: Bool = true) {
    self.channels = channels
    measuresTruePeak = truePeak
    let mode = Int32(EBUR128_MODE_I.rawValue) | (truePeak ? Int32(EBUR128_MODE_TRUE_PEAK.rawValue) : 0)
    state = ebur128_init(UInt32(channels), UInt(sampleRate), mode)
  }

  deinit {
    var s: UnsafeMutablePointer<ebur128_state>? = state
    ebur128_destroy(&s)
  }

  /// Adds interleaved frames.
  public func add(_ samples: UnsafeBufferPointer<Float>) {
    guard let base = samples.baseAddress, samples.count >= channels else { return }
    ebur128_add_frames_float(state, base, samples.count / channels)
  }

  /// Integrated loudness in LUFS (−∞ for silence).
  public var integratedLUFS: Double {
    var value = 0.0
    ebur128_loudness_global(state, &value)
    return value
  }

  /// The largest true peak over the channels, dBTP.
  public var truePeakDBTP: Double {
    guard measuresTruePeak else { return -.infinity }
    var peak = 0.0
    for c in 0..<channels {
      var p = 0.0
      ebur128_true_peak(state, UInt32(c), &p)
      peak = max(peak, p)
    }
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
