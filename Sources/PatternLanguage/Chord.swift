/// Named chord qualities for `C4'maj7`: semitone offsets above the root, root first.
public enum Chord {
  /// Every quality the language knows, in the order `pstudio` and the docs list them.
  public static let qualities: [(name: String, intervals: [Int])] = [
    ("maj", [0, 4, 7]),
    ("min", [0, 3, 7]),
    ("m", [0, 3, 7]),
    ("dim", [0, 3, 6]),
    ("aug", [0, 4, 8]),
    ("sus2", [0, 2, 7]),
    ("sus4", [0, 5, 7]),
    ("5", [0, 7]),
    ("6", [0, 4, 7, 9]),
    ("min6", [0, 3, 7, 9]),
    ("7", [0, 4, 7, 10]),
    ("maj7", [0, 4, 7, 11]),
    ("min7", [0, 3, 7, 10]),
    ("m7", [0, 3, 7, 10]),
    ("minmaj7", [0, 3, 7, 11]),
    ("dim7", [0, 3, 6, 9]),
    ("m7b5", [0, 3, 6, 10]),
    ("aug7", [0, 4, 8, 10]),
    ("7sus4", [0, 5, 7, 10]),
    ("add9", [0, 4, 7, 14]),
    ("9", [0, 4, 7, 10, 14]),
    ("maj9", [0, 4, 7, 11, 14]),
    ("min9", [0, 3, 7, 10, 14]),
  ]

  public static let qualityNames = qualities.map(\.name)

  /// The intervals of a quality, or nil when it is unknown.
  public static func intervals(_ quality: String) -> [Int]? {
    qualities.first { $0.name == quality }?.intervals
  }
}
