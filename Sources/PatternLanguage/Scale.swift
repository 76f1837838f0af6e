/// Scales for `scale D:dorian;` and the degrees `^1 … ^15` written in them.
///
/// A scale is a tonic (a MIDI note) and the semitone offsets of its degrees above it, ascending, the first 0
/// and all under 12. Degrees count on through the octaves: in a 7-note scale `^8` is `^1` an octave up, in a
/// 5-note scale `^6` is.
public struct Scale: Hashable, Sendable {
  /// The scale's name as the language spells it (`dorian`, `harmonic_minor`).
  public var name: String
  /// MIDI note of `^1` (the tonic in octave 4 unless written: `D` is D4 = 62, `D3` is 50).
  public var tonicMIDI: Int
  /// Semitones of each degree above the tonic, ascending from 0, each < 12.
  public var intervals: [Int]

  public init(name: String, tonicMIDI: Int, intervals: [Int]) {
    self.name = name
    self.tonicMIDI = tonicMIDI
    self.intervals = intervals
  }

  /// The MIDI note of the 0-based degree `index` (any whole number: negative ones go down through the
  /// octaves), plus `offset` semitones (accidentals). May fall outside 0 … 127; the caller checks.
  public func midi(index: Int, offset: Int = 0) -> Int {
    let n = intervals.count
    let octave = index >= 0 ? index / n : -((-index + n - 1) / n)
    return tonicMIDI + 12 * octave + intervals[index - octave * n] + offset
  }

  /// `midi` as the scale degree at or below it and the semitones above that degree (0 when `midi` is in the
  /// scale): C#4 in C major is (0, 1), B3 is (−1, 0).
  public func degree(below midi: Int) -> (index: Int, offset: Int) {
    let n = intervals.count
    let relative = midi - tonicMIDI
    let octave = relative >= 0 ? relative / 12 : -((-relative + 11) / 12)
    let within = relative - 12 * octave
    let step = intervals.lastIndex { $0 <= within } ?? 0
    return (octave * n + step, within - intervals[step])
  }
}

extension Scale {
  /// Every scale the language knows, with its aliases, in the order the docs list them. The world scales use
  /// the semitone sets of Tonal.js's dictionary (pelog there is a 12-tone approximation of a gamelan tuning).
  public static let kinds: [(names: [String], intervals: [Int])] = [
    (["major", "ionian"], [0, 2, 4, 5, 7, 9, 11]),
    (["minor", "aeolian"], [0, 2, 3, 5, 7, 8, 10]),
    (["dorian"], [0, 2, 3, 5, 7, 9, 10]),
    (["phrygian"], [0, 1, 3, 5, 7, 8, 10]),
    (["lydian"], [0, 2, 4, 6, 7, 9, 11]),
    (["mixolydian"], [0, 2, 4, 5, 7, 9, 10]),
    (["locrian"], [0, 1, 3, 5, 6, 8, 10]),
    (["harmonic_minor"], [0, 2, 3, 5, 7, 8, 11]),
    (["melodic_minor"], [0, 2, 3, 5, 7, 9, 11]),
    (["major_pentatonic"], [0, 2, 4, 7, 9]),
    (["minor_pentatonic"], [0, 3, 5, 7, 10]),
    (["blues"], [0, 3, 5, 6, 7, 10]),
    (["chromatic"], Array(0..<12)),
    (["whole_tone"], [0, 2, 4, 6, 8, 10]),
    (["hijaz", "phrygian_dominant"], [0, 1, 4, 5, 7, 8, 10]),
    (["double_harmonic", "byzantine"], [0, 1, 4, 5, 7, 8, 11]),
    (["hirajoshi"], [0, 2, 3, 7, 8]),
    (["in_sen"], [0, 1, 5, 7, 10]),
    (["iwato"], [0, 1, 5, 6, 10]),
    (["pelog"], [0, 1, 3, 7, 8]),
  ]

  /// Every name and alias, for hints.
  public static let names = kinds.flatMap(\.names)

  /// The intervals of a scale name, or nil when it is unknown.
  public static func intervals(_ name: String) -> [Int]? {
    kinds.first { $0.names.contains(name) }?.intervals
  }
}

/// A scale from a beat on: one `scale …;` directive, resolved.
struct ScalePoint: Hashable, Sendable {
  /// Where it starts: beats from the song's start (top level) or from the section's start (in a section).
  var beat: BeatTime
  var scale: Scale
}

/// The scales in force over a stretch of the song, sorted by beat (absolute beats).
struct ScaleTimeline: Hashable, Sendable {
  var points: [ScalePoint] = []

  /// The scale in force at `beat`: the last one starting at or before it (nil before the first).
  func scale(at beat: BeatTime) -> Scale? {
    var low = 0
    var high = points.count
    while low < high {
      let mid = (low + high) / 2
      if points[mid].beat <= beat { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? nil : points[low - 1].scale
  }

  /// This timeline with a section's own points (relative to `start`) taking over from the first of them.
  func overridden(by section: [ScalePoint], at start: BeatTime) -> ScaleTimeline {
    guard let first = section.first else { return self }
    let from = start + first.beat
    return ScaleTimeline(
      points: points.filter { $0.beat < from } + section.map { ScalePoint(beat: start + $0.beat, scale: $0.scale) })
  }
}
