/// The attributes the language knows, each with its valid range. Which ones a place accepts is
/// `AttributeContext`'s business.
public enum NoteAttribute: String, CaseIterable, Sendable {
  /// Duration in beats, > 0.
  case dur
  /// Velocity 0 … 1 (values above 1 up to 127 are read as MIDI velocities and divided by 127).
  case vel
  /// Stereo position −1 (left) … 1 (right).
  case pan
  /// Gain in decibels, −96 … +24.
  case gain
  /// Chance of playing, 0 … 1, drawn from the statement's seeded stream.
  case prob
  /// Largest timing jitter in beats (0 … 4): each note moves by a seeded amount in −nudge … +nudge.
  case nudge
  /// Envelope attack time in seconds (overrides the instrument's), 0 … 60.
  case attack
  /// Envelope decay time in seconds, 0 … 60.
  case decay
  /// Envelope sustain level 0 … 1.
  case sustain
  /// Envelope release time in seconds, 0 … 60.
  case release
  /// `play … transpose=N`: semitones, −96 … 96, whole.
  case transpose
  /// `section NAME(length=N)`: beats, > 0.
  case length
  /// A track's stereo width, 0 (mono) … 2.
  case width
}

/// Where attributes are written, and which they may use there.
enum AttributeContext {
  case note, play, block, section

  var allowed: [NoteAttribute] {
    switch self {
    case .note: return [.dur, .vel, .pan, .gain, .prob, .nudge, .attack, .decay, .sustain, .release]
    case .play: return [.transpose, .vel, .gain]
    case .block: return [.gain, .pan, .width]
    case .section: return [.length]
    }
  }

  var example: String {
    switch self {
    case .note: return "piano C4 0 dur=1 vel=0.8"
    case .play: return "play hook at 8 transpose=5 vel=0.8 gain=-3"
    case .block: return "melody(gain=-6, pan=-0.3, width=1.2, send room=-12, fx=eq(low=-2)) { … }"
    case .section: return "section verse(length=16) { … }"
    }
  }
}

/// Checked attribute values, by kind (last one written wins). Nil fields were not written.
struct AttributeValues {
  var values: [NoteAttribute: BeatTime] = [:]

  /// Checks `attributes` for `context`. Nil (with diagnostics) when any is unknown, misplaced or out of range.
  init?(_ attributes: [Attribute], _ context: AttributeContext, _ diagnostics: inout [Diagnostic]) {
    var valid = true
    for attribute in attributes {
      let names = context.allowed.map(\.rawValue)
      guard let kind = NoteAttribute(rawValue: attribute.name.text), context.allowed.contains(kind) else {
        let known = NoteAttribute(rawValue: attribute.name.text) != nil
        diagnostics.append(
          .error(
            known ? "'\(attribute.name.text)' cannot be used here" : "unknown attribute '\(attribute.name.text)'",
            at: attribute.name.range,
            hint: (known ? nil : Suggestions.hint(for: attribute.name.text, in: names))
              ?? "attributes here: " + names.joined(separator: ", ") + " (\(context.example))"))
        valid = false
        continue
      }
      let exact = attribute.value.value
      guard kind.accepts(exact) else {
        diagnostics.append(.error(kind.rangeMessage, at: attribute.value.range, hint: kind.rangeHint))
        valid = false
        continue
      }
      values[kind] = exact
    }
    if !valid { return nil }
  }

  subscript(_ kind: NoteAttribute) -> BeatTime? { values[kind] }
  func double(_ kind: NoteAttribute) -> Double? { values[kind]?.doubleValue }
}

extension NoteAttribute {
  func accepts(_ exact: BeatTime) -> Bool {
    let x = exact.doubleValue
    switch self {
    case .dur, .length: return exact > .zero
    // Between 1 and 2 is neither a level (0 … 1) nor a sensible MIDI velocity: vel=1.5 is a typo.
    case .vel: return (0...1).contains(x) || (2...127).contains(x)
    case .pan: return (-1...1).contains(x)
    case .gain: return (-96...24).contains(x)
    case .prob, .sustain: return (0...1).contains(x)
    case .nudge: return (0...4).contains(x)
    case .width: return (0...2).contains(x)
    case .attack, .decay, .release: return (0...60).contains(x)
    case .transpose: return exact.denominator == 1 && (-96...96).contains(x)
    }
  }

  var rangeMessage: String {
    switch self {
    case .dur: return "dur must be greater than 0"
    case .length: return "length must be greater than 0 beats"
    case .vel: return "vel must be a level 0 … 1 (or a MIDI velocity 2 … 127)"
    case .pan: return "pan must be between -1 (left) and 1 (right)"
    case .gain: return "gain must be -96 … 24 dB"
    case .prob: return "prob must be a chance 0 … 1"
    case .nudge: return "nudge must be 0 … 4 beats"
    case .attack, .decay, .release: return "\(rawValue) must be 0 … 60 seconds"
    case .sustain: return "sustain must be a level 0 … 1"
    case .width: return "width must be 0 (mono) … 2"
    case .transpose: return "transpose must be a whole number of semitones, -96 … 96"
    }
  }

  var rangeHint: String? {
    switch self {
    case .dur: return "durations are in beats, e.g. dur=0.5"
    case .gain: return "gain is in decibels: gain=-6 halves the amplitude"
    case .nudge: return "nudge is in beats, e.g. nudge=0.02"
    case .prob: return "prob=0.5 plays the note half the time"
    case .transpose: return "transpose=7 is a fifth up, transpose=-12 an octave down"
    case .length: return "section lengths are in beats, e.g. length=16"
    case .vel: return "vel=1 is full velocity and vel=0.5 is 6 dB softer; vel=100 is read as a MIDI velocity (100/127)"
    case .pan: return "pan=-0.5 is half left"
    case .attack, .decay, .release: return "envelope times are in seconds, e.g. \(rawValue)=0.05"
    case .sustain: return "sustain=0.7 holds at 70 % of the peak"
    case .width: return "width=1 leaves the track as it is, 0 folds it to mono"
    }
  }

  /// A `vel=` value as a level 0 … 1: values above 1 are MIDI velocities (÷ 127).
  public static func velocity(_ x: Double) -> Double { x > 1 ? x / 127 : x }
}
