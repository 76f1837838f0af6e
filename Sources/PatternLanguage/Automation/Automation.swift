/// A checked moving value: breakpoints joined by straight lines (held before the first and after the last),
/// plus an optional LFO on top. Times are song beats (for a note's own parameters too: the note's start is
/// added when it is expanded), values are in the parameter's unit.
///
/// Frequencies (`scale == .octaves`) move linearly in octaves between breakpoints and an LFO's depth is in
/// octaves; everything else moves linearly in its own unit (dB for gains and sends).
public struct Automation: Hashable, Sendable {
  public enum Scale: Hashable, Sendable {
    case linear
    /// Interpolated in log2 of the value; an LFO's depth is in octaves.
    case octaves
  }

  /// At least one point, in time order (equal beats allowed only from different statements, never written).
  public var points: [AutomationPoint]
  public var lfo: LFOSpec?
  public var scale: Scale
  /// The parameter's valid range: every evaluated value is clamped into it.
  public var range: ClosedRange<Double>
  /// Where the points' beats sit in the song: a point at `beat` is at song beat `origin + stretch × beat` (a
  /// note's own automation keeps its points relative to the note and moves by these, without copying them).
  public var origin = BeatTime.zero
  public var stretch = BeatTime.one

  public init(points: [AutomationPoint], lfo: LFOSpec? = nil, scale: Scale, range: ClosedRange<Double>) {
    self.points = points
    self.lfo = lfo
    self.scale = scale
    self.range = range
  }

  /// The value at `beat` (song beats, as a double): breakpoints, then the LFO, then the clamp.
  ///
  /// Only + − × ÷ and the engine-independent `AutomationMath` functions: the same bits on every machine.
  public func value(atBeat beat: Double) -> Double {
    var x = base(atBeat: beat)
    if let lfo {
      let w = lfo.depth * lfo.wave(atBeat: beat)
      x = scale == .octaves ? x * AutomationMath.exp2(w) : x + w
    }
    return min(max(x, range.lowerBound), range.upperBound)
  }

  /// The breakpoints' value alone.
  func base(atBeat songBeat: Double) -> Double {
    let first = points[0]
    let beat = (songBeat - origin.doubleValue) / stretch.doubleValue
    if points.count == 1 || beat <= first.beat.doubleValue { return first.value }
    // The first point after the beat, by binary search (curves may have many points).
    var lo = 1
    var hi = points.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if points[mid].beat.doubleValue < beat { lo = mid + 1 } else { hi = mid }
    }
    let i = lo
    if i == points.count { return points[points.count - 1].value }
    let a = points[i - 1]
    let b = points[i]
    let t0 = a.beat.doubleValue
    let t1 = b.beat.doubleValue
    let u = t1 > t0 ? (beat - t0) / (t1 - t0) : 1
    if scale == .octaves, a.value > 0, b.value > 0 {
      return a.value * AutomationMath.exp2(u * AutomationMath.log2(b.value / a.value))
    }
    return a.value + (b.value - a.value) * u
  }

  /// Whether the value never changes (one point, no LFO).
  public var isConstant: Bool { lfo == nil && points.count == 1 }

  /// The first and the last beat at which the value may change (nil: never). An LFO moves it always.
  public var changes: (first: BeatTime, last: BeatTime)? {
    guard lfo == nil else { return (.zero, BeatTime(Int64.max / 4)) }
    guard points.count > 1 else { return nil }
    return (origin + stretch * points[0].beat, origin + stretch * points[points.count - 1].beat)
  }

  /// `-24@0 → 0@16 lfo(sine/4 ±0.6)` for listings and fingerprints.
  public var text: String {
    var s = points.map { "\(formatNumber($0.value))@\((origin + stretch * $0.beat).fractionText)" }.joined(
      separator: " → ")
    if let lfo {
      s +=
        " lfo(\(lfo.shape.rawValue)/\(lfo.periodBeats.fractionText) ±\(formatNumber(lfo.depth)) φ\(formatNumber(lfo.phase)))"
    }
    return s
  }
}

/// One breakpoint: a value at a song beat.
public struct AutomationPoint: Hashable, Sendable {
  public var beat: BeatTime
  public var value: Double

  public init(beat: BeatTime, value: Double) {
    self.beat = beat
    self.value = value
  }
}

/// The waves an LFO can have.
public enum LFOShape: String, Hashable, Sendable, CaseIterable {
  case sine, tri, saw, square
}

/// `lfo(SHAPE, period=P, depth=D, phase=F)`: D × wave((beat / P) + F), the wave −1 … 1 starting at 0 and
/// rising (sine, tri, saw) or at +1 (square); its phase is a function of the song's beat, so it stays locked to
/// the beat grid whatever the tempo, the block size or the note.
public struct LFOSpec: Hashable, Sendable {
  public var shape: LFOShape
  public var periodBeats: BeatTime
  public var depth: Double
  /// Cycles (0 … 1) added to the phase.
  public var phase: Double

  public init(shape: LFOShape, periodBeats: BeatTime, depth: Double, phase: Double) {
    self.shape = shape
    self.periodBeats = periodBeats
    self.depth = depth
    self.phase = phase
  }

  /// The square's and the saw's edges are short ramps (this share of a period each), so they never step.
  static let squareEdge = 1.0 / 64

  /// The wave at `beat`, −1 … 1.
  public func wave(atBeat beat: Double) -> Double {
    let cycles = beat / periodBeats.doubleValue + phase
    let p = cycles - cycles.rounded(.down)  // 0 ..< 1
    switch shape {
    case .sine: return AutomationMath.sin2pi(p)
    case .tri: return p < 0.25 ? 4 * p : p < 0.75 ? 2 - 4 * p : 4 * p - 4
    case .saw:
      // Rising through 0 at the cycle's start, falling back over a short edge (like the square's) mid-cycle.
      let e = LFOSpec.squareEdge
      if p < 0.5 - e / 2 { return 2 * p }
      if p < 0.5 + e / 2 { return (1 - e) - 2 * (1 - e) * (p - (0.5 - e / 2)) / e }
      return 2 * p - 2
    case .square:
      let e = LFOSpec.squareEdge
      if p < 0.5 - e / 2 { return p < e / 2 ? p / (e / 2) : 1 }
      if p < 0.5 + e / 2 { return 1 - 2 * (p - (0.5 - e / 2)) / e }
      return p > 1 - e / 2 ? -1 + (p - (1 - e / 2)) / (e / 2) : -1
    }
  }
}
