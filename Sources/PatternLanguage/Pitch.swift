/// Pitch names: `C4` is MIDI 60 and A4 (MIDI 69) is 440 Hz; sharps `#` and flats `b`, octaves -1 … 9.
public enum Pitch {
  private static let letterSemitones: [Character: Int] = [
    "C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11,
  ]
  private static let sharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]

  /// The MIDI note number of a pitch name such as `C4`, `F#3`, `Bb2` or `C-1`, or nil if `text` is not
  /// a pitch name or lies outside MIDI 0 … 127.
  public static func midiNumber(_ text: String) -> Int? {
    var chars = Array(text)
    guard chars.count >= 2, let base = letterSemitones[chars[0]] else { return nil }
    chars.removeFirst()
    var semitone = base
    while let c = chars.first, c == "#" || c == "b" {
      semitone += c == "#" ? 1 : -1
      chars.removeFirst()
      if abs(semitone - base) > 2 { return nil }
    }
    var negative = false
    if chars.first == "-" {
      negative = true
      chars.removeFirst()
    }
    guard chars.count == 1, let digit = chars[0].wholeNumberValue, chars[0].isASCII else { return nil }
    if negative && digit != 1 { return nil }
    let octave = negative ? -1 : digit
    let midi = (octave + 1) * 12 + semitone
    return (0...127).contains(midi) ? midi : nil
  }

  /// Whether `text` looks like a pitch name (a note letter, accidentals and an octave digit), in or out of range.
  public static func looksLikePitch(_ text: String) -> Bool {
    guard let first = text.first, letterSemitones[first] != nil, let last = text.last else { return false }
    return last.isASCIIDigit && text.count <= 5
  }

  /// The canonical name of a MIDI note, with sharps: 60 → `C4`, 70 → `A#4`.
  public static func name(ofMIDI midi: Int) -> String {
    let octave = midi / 12 - 1
    return "\(sharpNames[((midi % 12) + 12) % 12])\(octave)"
  }
}
