import Foundation

/// The true peak of interleaved float audio exactly as libebur128 1.2 measures it (ITU-R BS.1770-4 Annex 2):
/// the same 49-tap windowed-sinc polyphase interpolator (4× below 96 kHz, 2× below 192 kHz, none above), the
/// same coefficients, each output summed in double in the same tap order and rounded to float, and the
/// sample peak taken with it. The figure is bit-identical to `ebur128_true_peak` (a test compares them on
/// noise, chirps and square waves, fed in uneven chunks).
///
/// Why not libebur128's own: its interpolator is a scalar loop with a modulo index per tap, and was over half
/// of an album export's CPU (two true-peak passes per track). Here every output phase is computed for 8 frames
/// at once (`SIMD8<Double>`: one AVX-512 register, or SSE/AVX pairs on other CPUs); the arithmetic per output
/// is unchanged, so the result is too. And a stretch of frames whose outputs cannot reach the peak already
/// measured is not interpolated at all: no output exceeds its inputs' largest |sample| times the phase's sum of
/// |coefficients| (`reach`), so skipping it leaves the maximum, and the figure, as it was.
public final class TruePeakMeter {
  /// One output phase: its taps' coefficients and how many frames back each reads.
  private struct Phase {
    var coefficients: [Double]
    var delays: [Int]
  }

  public let channels: Int
  private let phases: [Phase]
  /// Frames of history each channel keeps (the longest delay).
  private let history: Int
  /// Frames converted and filtered at a time.
  private static let block = 2048
  /// Frames whose outputs are bounded (and skipped) together: short enough for the quiet stretches of music,
  /// long enough that the bound's pass costs little beside the filter's ~12 multiply-adds per frame and phase.
  private static let stretch = 256
  /// The largest factor an output can exceed its inputs' largest |sample| by: the largest sum of |coefficients|
  /// of a phase, with a margin far above the rounding of a 13-term double sum and of the float it is rounded to
  /// (relative ~1e-15 and 6e-8).
  private let reach: Double
  /// Per channel: `history` frames of the past, then the block being filtered, as doubles.
  private let lines: [UnsafeMutablePointer<Double>]
  /// Per channel: the largest |sample| and the largest |interpolated sample| so far.
  private var samplePeaks: [Double]
  private var interpolatedPeaks: [Float]

  /// - Parameters:
  ///   - sampleRate: Hz; the oversampling factor follows it as in libebur128.
  ///   - channels: Interleaved channels.
  public init(sampleRate: Int, channels: Int) {
    self.channels = max(1, channels)
    let factor = sampleRate < 96_000 ? 4 : sampleRate < 192_000 ? 2 : 0
    phases = factor == 0 ? [] : TruePeakMeter.phases(taps: 49, factor: factor)
    history = phases.flatMap(\.delays).max() ?? 0
    reach = (phases.map { $0.coefficients.reduce(0) { $0 + abs($1) } }.max() ?? 0) * (1 + 0x1p-20)
    let length = history + TruePeakMeter.block
    lines = (0..<self.channels).map { _ in
      let line = UnsafeMutablePointer<Double>.allocate(capacity: length)
      line.initialize(repeating: 0, count: length)
      return line
    }
    samplePeaks = [Double](repeating: 0, count: self.channels)
    interpolatedPeaks = [Float](repeating: 0, count: self.channels)
  }

  deinit { for line in lines { line.deallocate() } }

  /// libebur128's `interp_create`: a windowed sinc, split into `factor` subfilters, coefficients below 1e-6
  /// dropped. (libm's sin and cos, once per tap at set-up.)
  private static func phases(taps: Int, factor: Int) -> [Phase] {
    var phases = [Phase](repeating: Phase(coefficients: [], delays: []), count: factor)
    for j in 0..<taps {
      let m = Double(j) - Double(taps - 1) / 2.0
      var c = 1.0
      if abs(m) > 0.000001 { c = sin(m * Double.pi / Double(factor)) / (m * Double.pi / Double(factor)) }
      c *= 0.5 * (1 - cos(2 * Double.pi * Double(j) / Double(taps - 1)))
      if abs(c) > 0.000001 {
        phases[j % factor].coefficients.append(c)
        phases[j % factor].delays.append(j / factor)
      }
    }
    return phases
  }

  /// Adds interleaved frames (any count; state carries over between calls).
  public func add(_ samples: UnsafeBufferPointer<Float>) {
    guard let base = samples.baseAddress else { return }
    let frames = samples.count / channels
    var done = 0
    while done < frames {
      let n = min(TruePeakMeter.block, frames - done)
      for c in 0..<channels { filter(channel: c, from: base + done * channels + c, frames: n) }
      done += n
    }
  }

  /// The true peak of channel `c` so far, as linear amplitude: `ebur128_true_peak`'s figure.
  public func peak(channel c: Int) -> Double { max(Double(interpolatedPeaks[c]), samplePeaks[c]) }

  /// Converts `frames` samples of one channel (stride `channels`) behind the history, measures them, and
  /// keeps the newest `history` frames for the next block.
  private func filter(channel c: Int, from source: UnsafePointer<Float>, frames: Int) {
    let line = lines[c]
    let x = line + history
    for i in 0..<frames { x[i] = Double(source[i * channels]) }
    var peak = interpolatedPeaks[c]
    // The loudest |sample| of the stretch before (the history's, for the first): it covers the `history` frames
    // the next stretch's outputs read before it, as every stretch but a block's last is `stretch` frames long.
    var before = TruePeakMeter.loudest(line, history)
    var samplePeak = samplePeaks[c]
    var n = 0
    while n < frames {
      let count = min(TruePeakMeter.stretch, frames - n)
      let loudest = TruePeakMeter.loudest(x + n, count)
      samplePeak = max(samplePeak, loudest)
      // Outputs n ..< n + count read x[n - history ..< n + count].
      if !phases.isEmpty && max(before, loudest) * reach >= Double(peak) {
        for phase in phases {
          phase.coefficients.withUnsafeBufferPointer { coefficients in
            phase.delays.withUnsafeBufferPointer { delays in
              peak = max(peak, TruePeakMeter.peak(x + n, count, coefficients, delays))
            }
          }
        }
      }
      before = loudest
      n += count
    }
    samplePeaks[c] = samplePeak
    interpolatedPeaks[c] = peak
    // memmove: with fewer frames than the history the two ranges overlap.
    if history > 0 { memmove(line, x + frames - history, history * MemoryLayout<Double>.stride) }
  }

  /// The largest |x[i]| of `count` values, eight at a time (sign bit cleared, compare-and-select).
  private static func loudest(_ x: UnsafePointer<Double>, _ count: Int) -> Double {
    let magnitude = SIMD8<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
    var most = SIMD8<Double>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      let v = unsafeBitCast(
        unsafeBitCast(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self), to: SIMD8<UInt64>.self)
          & magnitude, to: SIMD8<Double>.self)
      most.replace(with: v, where: v .> most)
      i += 8
    }
    var result = most.max()
    while i < count {
      result = max(result, abs(x[i]))
      i += 1
    }
    return result
  }

  /// The largest |output| of one phase over `frames` frames of `x` (its past readable before it): each output
  /// summed tap by tap in double from 0, then rounded to float, as `interp_process` does; 8 frames at a time.
  private static func peak(
    _ x: UnsafePointer<Double>, _ frames: Int, _ coefficients: UnsafeBufferPointer<Double>,
    _ delays: UnsafeBufferPointer<Int>
  ) -> Float {
    var peak = SIMD8<Float>(repeating: 0)
    // |x| by clearing the sign bit, the running max by compare-and-select (the generic `pointwiseMax` is an
    // out-of-line call per vector: it was half of this loop).
    let magnitude = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
    var n = 0
    while n + 8 <= frames {
      var acc = SIMD8<Double>(repeating: 0)
      for t in 0..<coefficients.count {
        let v = UnsafeRawPointer(x + n - delays[t]).loadUnaligned(as: SIMD8<Double>.self)
        acc += v * SIMD8(repeating: coefficients[t])
      }
      let out = unsafeBitCast(
        unsafeBitCast(SIMD8<Float>(acc), to: SIMD8<UInt32>.self) & magnitude, to: SIMD8<Float>.self)
      peak.replace(with: out, where: out .> peak)
      n += 8
    }
    var result = peak.max()
    while n < frames {
      var acc = 0.0
      for t in 0..<coefficients.count { acc += x[n - delays[t]] * coefficients[t] }
      result = max(result, abs(Float(acc)))
      n += 1
    }
    return result
  }
}
