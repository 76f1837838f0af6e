import CEBUR128
import Foundation

/// EBU R128 / ITU-R BS.1770 loudness of interleaved stereo float audio: integrated loudness (LUFS) and true
/// peak (dBTP, 4× oversampled), libebur128's figures. Both are computed by this project's exact copies of
/// libebur128's algorithms, several times faster (`IntegratedLoudnessMeter`, `TruePeakMeter`: tests compare
/// them with the library bit for bit); where the loudness copy does not apply (not x86-64, more than two
/// channels) libebur128 itself measures it. Feed chunks in order, then read.
public final class LoudnessMeter {
  /// libebur128's state, when `exact` does not apply.
  let state: UnsafeMutablePointer<ebur128_state>?
  private let exact: IntegratedLoudnessMeter?
  let channels: Int
  private let truePeak: TruePeakMeter?

  /// Whether `truePeakDBTP` is measured (the 4× oversampler is most of a meter's cost).
  public var measuresTruePeak: Bool { truePeak != nil }

  /// - Parameter truePeak: measure the true peak too (else `truePeakDBTP` is −∞).
  public init(sampleRate: Int, channels: Int = 2, truePeak: Bool = true) {
    self.channels = channels
    self.truePeak = truePeak ? TruePeakMeter(sampleRate: sampleRate, channels: channels) : nil
    if IntegratedLoudnessMeter.matchesLibrary(sampleRate: sampleRate, channels: channels) {
      exact = IntegratedLoudnessMeter(sampleRate: sampleRate, channels: channels)
      state = nil
    } else {
      exact = nil
      state = pstudio_ebur128_init(UInt32(channels), UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue))
    }
  }

  deinit {
    var s = state
    if s != nil { pstudio_ebur128_destroy(&s) }
  }

  /// Adds interleaved frames.
  public func add(_ samples: UnsafeBufferPointer<Float>) {
    guard let base = samples.baseAddress, samples.count >= channels else { return }
    if let exact {
      exact.add(samples)
    } else {
      pstudio_ebur128_add_frames_float(state, base, samples.count / channels)
    }
    truePeak?.add(samples)
  }

  /// Adds interleaved frames to two meters, `sa` to `a` and `sb` to `b`: as `a.add(sa); b.add(sb)`, with the
  /// two loudness filters side by side where they can be (`IntegratedLoudnessMeter.addPair`).
  public static func addPair(
    _ a: LoudnessMeter, _ sa: UnsafeBufferPointer<Float>, _ b: LoudnessMeter, _ sb: UnsafeBufferPointer<Float>
  ) {
    guard let ea = a.exact, let eb = b.exact, sa.count >= a.channels, sb.count >= b.channels else {
      a.add(sa)
      b.add(sb)
      return
    }
    IntegratedLoudnessMeter.addPair(ea, sa, eb, sb)
    a.truePeak?.add(sa)
    b.truePeak?.add(sb)
  }

  /// Integrated loudness in LUFS (−∞ for silence).
  public var integratedLUFS: Double {
    if let exact { return exact.integratedLUFS }
    var value = 0.0
    pstudio_ebur128_loudness_global(state, &value)
    return value
  }

  /// The largest true peak over the channels, dBTP.
  public var truePeakDBTP: Double {
    guard let truePeak else { return -.infinity }
    let peak = (0..<channels).reduce(0.0) { max($0, truePeak.peak(channel: $1)) }
    return Decibels.from(amplitude: peak)
  }

  /// The integrated loudness of several meters taken together (an album), LUFS. The meters measure one layout
  /// (sample rate, channels), so they are all exact copies or all libebur128's.
  public static func integratedLUFS(of meters: [LoudnessMeter]) -> Double {
    let exact = meters.compactMap(\.exact)
    if exact.count == meters.count { return IntegratedLoudnessMeter.integratedLUFS(of: exact) }
    var states: [UnsafeMutablePointer<ebur128_state>?] = meters.compactMap(\.state)
    var value = 0.0
    _ = states.withUnsafeMutableBufferPointer {
      pstudio_ebur128_loudness_global_multiple($0.baseAddress, $0.count, &value)
    }
    return value
  }
}
