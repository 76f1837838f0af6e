/// Pitch names: `C4` is MIDI 60 and A4 (MIDI 69) is 440 Hz; sharps `#` and flats `b`, octaves -1 … 9.
public enum Pitch {
  private static let sharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]

  /// The MIDI note number of a pitch name such as `C4`, `F#3`, `Bb2` or `C-1`, or nil if `text` is not
  /// a pitch name or lies outside MIDI 0 … 127.
  public static func midiNumber(_ text: String) -> Int? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 2, bytes.count <= 6, let base = semitone(ofLetter: bytes[0]) else { return nil }
    var i = 1
    var semitone = base
    while i < bytes.count, bytes[i] == UInt8(ascii: "#") || bytes[i] == UInt8(ascii: "b") {
      semitone += bytes[i] == UInt8(ascii: "#") ? 1 : -1
      i += 1
      if abs(semitone - base) > 2 { return nil }
    }
    var negative = false
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    guard i == bytes.count - 1, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
    let digit = Int(bytes[i] - 48)
    if negative && digit != 1 { return nil }
    let octave = negative ? -1 : digit
    let midi = (octave + 1) * 12 + semitone
    return (0...127).contains(midi) ? midi : nil
  }

  private static func semitone(ofLetter b: UInt8) -> Int? {
    switch b {
    case UInt8(ascii: "C"): return 0
    case UInt8(ascii: "D"): return 2
    case UInt8(ascii: "E"): return 4
    case UInt8(ascii: "F"): return 5
    case UInt8(ascii: "G"): return 7
    case UInt8(ascii: "A"): return 9
    case UInt8(ascii: "B"): return 11
    default: return nil
    }
  }

  /// Whether `text` looks like a pitch name (a note letter, accidentals and an octave digit), in or out of range.
  public static func looksLikePitch(_ text: String) -> Bool {
    guard let first = text.utf8.first, semitone(ofLetter: first) != nil, let last = text.utf8.last else {
      return false
    }
    return last >= 48 && last <= 57 && text.utf8.count <= 5
  }

  /// The canonical name of a MIDI note, with sharps: 60 → `C4`, 70 → `A#4`.
  public static func name(ofMIDI midi: Int) -> String {
    let octave = midi / 12 - 1
    return "\(sharpNames[((midi % 12) + 12) % 12])\(octave)"
  }
}
