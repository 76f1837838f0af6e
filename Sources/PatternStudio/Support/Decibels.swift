import Foundation

/// Levels in decibels, the one place that converts.
enum Decibels {
  /// 20·log10(amplitude); −∞ for silence.
  static func from(amplitude x: Double) -> Double { x > 0 ? 20 * log10(x) : -.infinity }

  /// dBFS rounded to 0.01 dB for text that must stay stable (golden files); silence is −200.
  static func rounded(amplitude x: Double) -> Double {
    guard x > 0 else { return -200 }
    return ((20 * log10(x)) * 100).rounded() / 100
  }

  /// A figure rounded to 0.01 (dB, LUFS, dBTP) for reports and manifests.
  static func hundredths(_ x: Double) -> Double { (x * 100).rounded() / 100 }

  /// `hundredths(x)`, or nil when `x` is not finite (silence measures −∞, which JSON cannot hold).
  static func finiteHundredths(_ x: Double) -> Double? { x.isFinite ? hundredths(x) : nil }
}
