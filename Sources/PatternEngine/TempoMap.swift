import PatternLanguage

/// Converts exact beats to whole frames. The only place the two clocks meet.
///
/// Constant-tempo stretches are integrated exactly in rational arithmetic (128-bit): a note at beat `b` starts
/// at frame `round(seconds(b) × sampleRate)`, halves rounding up. A ramp `A -> B over L` moves the tempo
/// linearly in *time*, so it lasts exactly `120·L / (A + B)` seconds and every segment boundary stays an exact
/// rational; inside a ramp, the time of a beat solves a quadratic, evaluated once per note in IEEE double with
/// only correctly rounded operations (+ − × ÷ √), so it is identical on every machine.
package struct TempoMap: Sendable {
  package let sampleRate: Int

  /// From `beat` on: the exact frame where the segment starts, and either a constant tempo or a ramp.
  struct Segment: Sendable {
    var beat: BeatTime
    var start: BeatTime
    var bpm: BeatTime
    /// Ramp end tempo and length in beats (nil: constant `bpm`).
    var ramp: (to: BeatTime, beats: BeatTime)?
  }

  let segments: [Segment]

  package init(_ points: [TempoPoint], sampleRate: Int) {
    self.sampleRate = sampleRate
    var segs: [Segment] = []
    let pts = points.isEmpty ? [TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60))] : points
    for p in pts {
      let start = segs.last.map { TempoMap.exactFrame($0, at: p.beat, rate: sampleRate) } ?? .zero
      if let ramp = p.ramp {
        segs.append(Segment(beat: p.beat, start: start, bpm: p.beatsPerMinute, ramp: (ramp.beatsPerMinute, ramp.beats)))
        // After the ramp: the end tempo, constant until the next point.
        let end = p.beat + ramp.beats
        let endFrame = TempoMap.exactFrame(segs[segs.count - 1], at: end, rate: sampleRate)
        segs.append(Segment(beat: end, start: endFrame, bpm: ramp.beatsPerMinute, ramp: nil))
      } else {
        segs.append(Segment(beat: p.beat, start: start, bpm: p.beatsPerMinute, ramp: nil))
      }
    }
    segments = segs
  }

  static func framesPerBeat(_ bpm: BeatTime, _ rate: Int) -> BeatTime { BeatTime(Int64(rate) * 60) / bpm }

  /// The exact frame of a beat in a constant segment, or at a ramp's end (where it is exact too).
  private static func exactFrame(_ seg: Segment, at beat: BeatTime, rate: Int) -> BeatTime {
    guard let ramp = seg.ramp else { return seg.start + (beat - seg.beat) * framesPerBeat(seg.bpm, rate) }
    // Only called with `beat` at or after the ramp's end: its whole length, 120·L/(A+B) seconds.
    let rampFrames = BeatTime(120 * Int64(rate)) * ramp.beats / (seg.bpm + ramp.to)
    return seg.start + rampFrames
  }

  private func segment(_ beat: BeatTime) -> Segment {
    // Segments are few; the last one starting at or before the beat.
    var i = segments.count - 1
    while i > 0 && segments[i].beat > beat { i -= 1 }
    return segments[i]
  }

  /// The frame a beat falls on: the exact position rounded to the nearest frame (halves round up).
  package func frame(_ beat: BeatTime) -> Int64 {
    let seg = segment(beat)
    guard let ramp = seg.ramp else { return TempoMap.roundHalfUp(TempoMap.exactFrame(seg, at: beat, rate: sampleRate)) }
    let point = TempoPoint(
      beat: seg.beat, beatsPerMinute: seg.bpm, ramp: TempoRamp(beatsPerMinute: ramp.to, beats: ramp.beats))
    let tau = point.secondsInRamp(afterBeats: (beat - seg.beat).doubleValue)
    // The segment's start is exact: add its fractional part to τ·rate before rounding.
    let whole = seg.start.floor
    let fraction = (seg.start - whole).doubleValue
    return whole.numerator + Int64((fraction + tau * Double(sampleRate) + 0.5).rounded(.down))
  }

  /// The beat at frame `frame` (fractional), for automation: the inverse of `frame(_:)` without rounding.
  /// In a ramp, beats(τ) = (A·τ + (B − A)·τ²/(2T))/60 with τ the seconds since the ramp began. Only + − × ÷, so
  /// the same on every machine.
  package func beat(atFrame frame: Int64) -> Double {
    // The last segment starting at or before the frame, by binary search (a song may have many tempo points).
    let f = BeatTime(frame)
    var lo = 0
    var hi = segments.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if segments[mid].start > f { hi = mid - 1 } else { lo = mid }
    }
    let seg = segments[lo]
    let since = (f - seg.start).doubleValue
    let a = seg.bpm.doubleValue
    let tau = since / Double(sampleRate)
    guard let ramp = seg.ramp else { return seg.beat.doubleValue + tau * a / 60 }
    let b = ramp.to.doubleValue
    let t = 120 * ramp.beats.doubleValue / (a + b)
    return seg.beat.doubleValue + (a * tau + (b - a) * tau * tau / (2 * t)) / 60
  }

  /// floor(x + 1/2) in integers.
  static func roundHalfUp(_ x: BeatTime) -> Int64 {
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
