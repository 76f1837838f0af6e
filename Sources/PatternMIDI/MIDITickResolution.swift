import PatternLanguage

/// How many ticks a quarter note gets in an exported MIDI file.
public enum MIDITickResolution: Hashable, Sendable {
  /// 960 ticks per quarter note, or the smallest multiple of 960 up to 32,767 at which every note's start and end,
  /// every tempo change (ramp steps included) and every meter change of the song falls exactly on a tick: a song
  /// in sevenths of a beat gets 6,720, a song imported from a 384-tick file 1,920. When no multiple of 960 fits,
  /// the smallest division that does (a song imported from a 32,749-tick file keeps 32,749); when none does,
  /// 960 with times rounded (and a warning).
  case exact
  /// This many ticks per quarter note (1 … 32,767); times between ticks round half up.
  case fixed(UInt16)

  /// The largest division a Standard MIDI File can hold (15 bits).
  public static let maxTicksPerQuarter: Int64 = 32_767

  /// The ticks per quarter note for `score`, and a warning when some times fall between ticks.
  public func ticksPerQuarter(for score: Score) -> (ticksPerQuarter: UInt16, warning: String?) {
    let needed = Self.exactTicksPerQuarter(for: score)
    switch self {
    case .exact:
      guard let needed else {
        return (
          MIDIExport.ticksPerQuarter,
          "no division up to 32767 ticks per quarter note holds every time exactly; times are rounded to 1/960 beat"
        )
      }
      return (needed, nil)
    case .fixed(let n):
      let n = UInt16(max(1, min(Self.maxTicksPerQuarter, Int64(n))))
      // A reduced fraction p/q is a whole number of ticks at n exactly when q divides n.
      let exact = Self.beats(of: score).allSatisfy { Int64(n) % $0.denominator == 0 }
      return (n, exact ? nil : "times between ticks at \(n) ticks per quarter note are rounded")
    }
  }

  /// The smallest multiple of 960 (at most 32,767) that every time of `score` is a whole number of ticks at;
  /// when there is none, the smallest division at all (a song imported from a 32,749-tick file gets 32,749);
  /// nil when no division up to 32,767 holds every time.
  public static func exactTicksPerQuarter(for score: Score) -> UInt16? {
    let times = beats(of: score)
    for start in [Int64(MIDIExport.ticksPerQuarter), 1] {
      var l = start
      for beat in times where l % beat.denominator != 0 {
        guard beat.denominator <= maxTicksPerQuarter else { return nil }
        l = l / gcd(l, beat.denominator) * beat.denominator
        if l > maxTicksPerQuarter { break }
      }
      if l <= maxTicksPerQuarter { return UInt16(l) }
    }
    return nil
  }

  /// Every time the file places on a tick: sounding notes' starts and ends, tempo points (with the 1/16-beat
  /// steps of ramps and their ends) and meter changes.
  static func beats(of score: Score) -> [BeatTime] {
    var beats: [BeatTime] = []
    beats.reserveCapacity(2 * score.events.count + score.tempo.count + score.meterMap.changes.count)
    for e in score.events where e.velocity > 0 {
      beats.append(e.start)
      beats.append(e.start + e.duration)
    }
    for p in score.tempo {
      beats.append(p.beat)
      if let ramp = p.ramp {
        beats.append(p.beat + MIDIExport.rampStep)
        beats.append(p.beat + ramp.beats)
      }
    }
    beats += score.meterMap.changes.map(\.beat)
    return beats
  }

  private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
    var (a, b) = (abs(a), abs(b))
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }
}
