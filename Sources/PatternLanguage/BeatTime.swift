/// An exact musical time or duration in beats: a reduced fraction `numerator / denominator`.
///
/// Musical time is never accumulated in floating point; `1/3 + 1/3 + 1/3` is exactly `1`. Arithmetic is
/// done in 128 bits and reduced; a result that still does not fit in 64 bits is rounded to the nearest
/// 1/2^20 beat (deterministically), which the parser's limits keep far out of reach of real songs.
public struct BeatTime: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Numerator; carries the sign.
  public let numerator: Int64
  /// Denominator, always > 0.
  public let denominator: Int64

  public static let zero = BeatTime(0)
  public static let one = BeatTime(1)

  /// An integer number of beats.
  public init(_ beats: Int64) {
    numerator = beats
    denominator = 1
  }

  /// `numerator / denominator`, reduced. `denominator` must not be 0.
  public init(_ numerator: Int64, _ denominator: Int64) {
    precondition(denominator != 0, "BeatTime with zero denominator")
    self.init(reducing: Int128(numerator), Int128(denominator))
  }

  init(reducing n: Int128, _ d: Int128) {
    // Whole beats (most literals, and sums of whole beats) are already reduced.
    if d == 1, let n64 = Int64(exactly: n) {
      numerator = n64
      denominator = 1
      return
    }
    // Most results fit 64 bits: reduce them with 64-bit division (128-bit division is done in software and
    // cost the front end microseconds per operation). Same reduced fraction either way.
    if let n64 = Int64(exactly: n), let d64 = Int64(exactly: d), n64 != .min, d64 != .min {
      let (sn, sd) = d64 < 0 ? (-n64, -d64) : (n64, d64)
      var (a, b) = (sn.magnitude, sd.magnitude)
      while b != 0 { (a, b) = (b, a % b) }
      numerator = a > 1 ? sn / Int64(a) : sn
      denominator = a > 1 ? sd / Int64(a) : sd
      return
    }
    var n = n
    var d = d
    if d < 0 {
      n = -n
      d = -d
    }
    let g = BeatTime.gcd(n.magnitude, d.magnitude)
    if g > 1 {
      n /= Int128(g)
      d /= Int128(g)
    }
    if let n64 = Int64(exactly: n), let d64 = Int64(exactly: d) {
      numerator = n64
      denominator = d64
    } else {
      // Out of 64-bit range: round to a 2^20 grid (deterministic, and far finer than a sample).
      let scaled = (n * (1 << 20) + (n >= 0 ? d / 2 : -d / 2)) / d
      let clamped = Swift.max(Int128(Int64.min), Swift.min(Int128(Int64.max), scaled))
      let r = BeatTime(Int64(clamped), 1 << 20)
      numerator = r.numerator
      denominator = r.denominator
    }
  }

  static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }

  public static func + (a: BeatTime, b: BeatTime) -> BeatTime {
    BeatTime(
      reducing: Int128(a.numerator) * Int128(b.denominator) + Int128(b.numerator) * Int128(a.denominator),
      Int128(a.denominator) * Int128(b.denominator))
  }

  public static func - (a: BeatTime, b: BeatTime) -> BeatTime {
    BeatTime(
      reducing: Int128(a.numerator) * Int128(b.denominator) - Int128(b.numerator) * Int128(a.denominator),
      Int128(a.denominator) * Int128(b.denominator))
  }

  public static func * (a: BeatTime, b: BeatTime) -> BeatTime {
    BeatTime(
      reducing: Int128(a.numerator) * Int128(b.numerator), Int128(a.denominator) * Int128(b.denominator))
  }

  /// Division; `b` must not be zero.
  public static func / (a: BeatTime, b: BeatTime) -> BeatTime {
    BeatTime(
      reducing: Int128(a.numerator) * Int128(b.denominator), Int128(a.denominator) * Int128(b.numerator))
  }

  public static func < (a: BeatTime, b: BeatTime) -> Bool {
    // Same denominator (whole beats, one grid): the numerators decide, without 128-bit products.
    if a.denominator == b.denominator { return a.numerator < b.numerator }
    return Int128(a.numerator) * Int128(b.denominator) < Int128(b.numerator) * Int128(a.denominator)
  }

  /// The nearest `Double`, for display and JSON only; never for timing.
  /// The largest whole number of beats not above this one.
  public var floor: BeatTime {
    var q = numerator / denominator
    if numerator % denominator != 0 && numerator < 0 { q -= 1 }
    return BeatTime(q)
  }

  /// The smallest whole number of beats not below this one.
  public var ceiling: BeatTime {
    let f = floor
    return f == self ? f : f + .one
  }

  public var doubleValue: Double { Double(numerator) / Double(denominator) }

  public var isNegative: Bool { numerator < 0 }

  /// `3/2`, or `2` for whole beats.
  public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

  /// `description` with a `/1` kept for whole numbers (`2/1`), as event listings print times.
  public var fractionText: String { "\(numerator)/\(denominator)" }

  /// Parses a decimal literal such as `0.5`, `120`, `.25` exactly. Returns nil when it has more than 12 digits
  /// before or after the point or its digits together overflow 64 bits (the parser reports that as "number too
  /// long"), or is not a decimal.
  public static func parseDecimal(_ text: String) -> BeatTime? { parseDecimal(utf8: text.utf8) }

  /// `parseDecimal` of UTF-8 bytes (a lexeme read in place).
  static func parseDecimal<Bytes: Sequence<UInt8>>(utf8: Bytes) -> BeatTime? {
    var n: Int64 = 0
    var d: Int64 = 1
    var wholeDigits = 0
    var fractionDigits = 0
    var seenPoint = false
    for b in utf8 {
      if b == UInt8(ascii: ".") {
        if seenPoint { return nil }
        seenPoint = true
        continue
      }
      guard b >= 48, b <= 57 else { return nil }
      if seenPoint {
        fractionDigits += 1
        d *= 10
      } else {
        wholeDigits += 1
      }
      if wholeDigits > 12 || fractionDigits > 12 { return nil }
      // 12 + 12 digits do not fit 64 bits: overflow is "too long" too (found by Scripts/fuzz).
      let (scaled, over) = n.multipliedReportingOverflow(by: 10)
      let (sum, over2) = scaled.addingReportingOverflow(Int64(b - 48))
      if over || over2 { return nil }
      n = sum
    }
    guard wholeDigits + fractionDigits > 0 else { return nil }
    return BeatTime(n, d)
  }
}
