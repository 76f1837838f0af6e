/// What the words of a mini-notation string name: Strudel's pitch spellings (`c4`, `eb3`, `f#2`, `cs4`, `c` in
/// octave 3) besides ours (`C4`, `C-1`), and Strudel's short drum names (`bd sd sn hh oh cp rim lt mt ht cr`) besides
/// a kit's own sound names in any case (`kick`, `Kick`).
enum MiniWords {
  /// Strudel's drum abbreviations (those of the Dirt-Samples and tidal-drum-machines banks) and the kit sounds
  /// each may mean, best first: a kit with only `Tom` plays it for `lt`, `mt` and `ht`.
  static let drums: [(short: String, sounds: [String])] = [
    ("bd", ["Kick"]), ("sd", ["Snare"]), ("sn", ["Snare"]), ("hh", ["HiHat", "ClosedHat"]), ("oh", ["OpenHat"]),
    ("cp", ["Clap"]),
    ("rim", ["Rim"]), ("rs", ["Rim"]), ("lt", ["LowTom", "Tom"]), ("mt", ["MidTom", "Tom"]),
    ("ht", ["HighTom", "Tom"]), ("cr", ["Crash"]), ("rd", ["Ride"]), ("cb", ["Cowbell"]), ("sh", ["Shaker"]),
    ("tb", ["Tambourine"]),
  ]

  /// The kit sound a word names for `instrument`: a short name mapped to the first of its sounds the kit has,
  /// else the word itself (which the kit matches in any case, or reports with its list of sounds).
  static func hit(_ word: String, in instrument: InstrumentDescriptor) -> String {
    guard let entry = drums.first(where: { $0.short == word.lowercased() }) else { return word }
    return entry.sounds.first { instrument.canonicalHit($0) != nil } ?? word
  }

  /// The MIDI note of a pitch word, or nil: Strudel's `[a-gA-G][#bsf]*[0-9]*` (no octave: octave 3, as
  /// Strudel's default) or one of our names (`C-1`).
  static func pitch(_ word: String) -> Int? {
    if let midi = Pitch.midiNumber(word) { return midi }
    let bytes = Array(word.utf8)
    guard let first = bytes.first else { return nil }
    let chroma: [UInt8: Int] = [
      UInt8(ascii: "c"): 0, UInt8(ascii: "d"): 2, UInt8(ascii: "e"): 4, UInt8(ascii: "f"): 5, UInt8(ascii: "g"): 7,
      UInt8(ascii: "a"): 9, UInt8(ascii: "b"): 11,
    ]
    guard var semitone = chroma[first | 0x20] else { return nil }
    var i = 1
    while i < bytes.count, let step = accidental(bytes[i]) {
      semitone += step
      i += 1
    }
    guard i - 1 <= 2 else { return nil }
    var octave = 3
    if i < bytes.count {
      guard bytes.count - i <= 2, bytes[i...].allSatisfy(\.isDigit) else { return nil }
      octave = Int(String(decoding: bytes[i...], as: UTF8.self)) ?? 99
    }
    let midi = (octave + 1) * 12 + semitone
    return (0...127).contains(midi) ? midi : nil
  }

  /// A note letter, accidentals and digits, in range or not (`c12`).
  static func looksLikePitch(_ word: String) -> Bool {
    guard let first = word.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "g")).contains(first | 0x20) else {
      return false
    }
    let rest = word.utf8.dropFirst().drop { accidental($0) != nil }
    return !rest.isEmpty && rest.allSatisfy(\.isDigit)
  }

  private static func accidental(_ b: UInt8) -> Int? {
    switch b {
    case UInt8(ascii: "#"), UInt8(ascii: "s"): return 1
    case UInt8(ascii: "b"), UInt8(ascii: "f"): return -1
    default: return nil
    }
  }
}
