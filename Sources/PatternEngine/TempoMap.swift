import PatternLanguage

/// Converts exact beats to whole frames. The only place the two clocks meet.
///
/// A note at beat `b` starts at frame `round(seconds(b) × sampleRate)`, where `seconds(b)` integrates the tempo
/// map exactly in rational arithmetic (128-bit), rounding half away from zero once at the end.
public struct TempoMap: Sendable {
  public let sampleRate: Int
  /// Constant-tempo segments: from `beat` on, `beatsPerMinute`; `startFrames` is the exact rational frame
  /// position where each segment begins (as numerator/denominator).
  private let segments: [(beat: BeatTime, bpm: BeatTime, start: BeatTime)]

  public init(_ points: [TempoPoint], sampleRate: Int) {
    self.sampleRate = sampleRate
    var segs: [(BeatTime, BeatTime, BeatTime)] = []
    var start = BeatTime.zero
    let pts = points.isEmpty ? [TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60))] : points
    for (i, p) in pts.enumerated() {
      if i > 0 {
        let prev = segs[i - 1]
        start = prev.2 + (p.beat - prev.0) * TempoMap.framesPerBeat(prev.1, sampleRate)
      }
      segs.append((p.beat, p.beatsPerMinute, start))
    }
    segments = segs
  }

  static func framesPerBeat(_ bpm: BeatTime, _ rate: Int) -> BeatTime { BeatTime(Int64(rate) * 60) / bpm }

  /// The exact (fractional) frame position of a beat.
  public func exactFrame(_ beat: BeatTime) -> BeatTime {
    let seg = segments.last { $0.beat <= beat } ?? segments[0]
    return seg.start + (beat - seg.beat) * TempoMap.framesPerBeat(seg.bpm, sampleRate)
  }

  /// The frame a beat falls on: the exact position rounded to the nearest frame (halves round up).
  public func frame(_ beat: BeatTime) -> Int64 {
    let x = exactFrame(beat)
    // floor(x + 1/2) in integers.
    let n = 2 * Int128(x.numerator) + Int128(x.denominator)
    let d = 2 * Int128(x.denominator)
    var q = n / d
    if n % d != 0 && n < 0 { q -= 1 }
    return Int64(clamping: q)
  }
}

extension Int64 {
  init(clamping x: Int128) {
    self = x > Int128(Int64.max) ? .max : x < Int128(Int64.min) ? .min : Int64(x)
  }
}
