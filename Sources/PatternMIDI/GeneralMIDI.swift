import PatternLanguage

/// How Pattern Studio's instruments map onto General MIDI.
public enum GeneralMIDI {
  /// The GM percussion channel (10 counted from 1).
  public static let drumChannel: UInt8 = 9

  /// GM program (0-based) per built-in instrument id; instruments not listed play as a piano.
  public static let programs: [(id: String, program: UInt8, name: String)] = [
    ("piano", 0, "Acoustic Grand Piano"),
    ("guitar", 25, "Acoustic Guitar (steel)"),
    ("bass", 33, "Electric Bass (finger)"),
    ("organ", 16, "Drawbar Organ"),
    ("strings", 48, "String Ensemble 1"),
    ("pad", 88, "Pad 1 (new age)"),
    ("lead", 81, "Lead 2 (sawtooth)"),
    ("sine", 79, "Ocarina"),
    ("triangle", 73, "Recorder"),
    ("square", 80, "Lead 1 (square)"),
    ("saw", 81, "Lead 2 (sawtooth)"),
    ("noise", 122, "Seashore"),
  ]

  public static func program(for instrumentID: String) -> UInt8 {
    programs.first { $0.id == instrumentID }?.program ?? 0
  }

  /// GM percussion keys by hit name (case-insensitive).
  public static let drumKeys: [(hit: String, key: UInt8)] = [
    ("Kick", 36), ("Rim", 37), ("Snare", 38), ("Clap", 39), ("HiHat", 42), ("ClosedHat", 42), ("PedalHat", 44),
    ("OpenHat", 46), ("Crash", 49), ("Ride", 51), ("Tom", 45), ("LowTom", 41), ("MidTom", 45), ("HighTom", 48),
    ("Cowbell", 56), ("Shaker", 70),
  ]

  /// The GM key of a kit's hit, or nil when General MIDI has no such sound.
  public static func drumKey(_ hit: String) -> UInt8? {
    drumKeys.first { $0.hit.lowercased() == hit.lowercased() }?.key
  }
}
