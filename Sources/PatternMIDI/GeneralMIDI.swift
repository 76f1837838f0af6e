import PatternLanguage

/// How Pattern Studio's kits map onto General MIDI (programs travel with each instrument:
/// `InstrumentDescriptor.midiProgram`).
public enum GeneralMIDI {
  /// The GM percussion channel (10 counted from 1).
  public static let drumChannel: UInt8 = 9

  /// GM percussion keys by hit name (case-insensitive).
  public static let drumKeys: [(hit: String, key: UInt8)] = [
    ("Kick", 36), ("Rim", 37), ("Snare", 38), ("Clap", 39), ("HiHat", 42), ("ClosedHat", 42), ("PedalHat", 44),
    ("OpenHat", 46), ("Crash", 49), ("Ride", 51), ("Tom", 45), ("LowTom", 41), ("MidTom", 45), ("HighTom", 48),
    ("Cowbell", 56), ("Shaker", 70), ("Kick2", 35), ("Snare2", 40), ("HighFloorTom", 43), ("China", 52),
    ("RideBell", 53), ("Tambourine", 54), ("Splash", 55), ("Crash2", 57), ("Ride2", 59), ("HighBongo", 60),
    ("LowBongo", 61), ("Claves", 75), ("HighWoodBlock", 76), ("LowWoodBlock", 77),
  ]

  /// The GM key of a kit's hit, or nil when General MIDI has no such sound.
  public static func drumKey(_ hit: String) -> UInt8? {
    drumKeys.first { $0.hit.lowercased() == hit.lowercased() }?.key
  }
}
