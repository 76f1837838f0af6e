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
  /// `play … speed=R`: an exact ratio, 1/64 … 64; 2 plays the motif twice as fast (times and lengths halved).
  case speed
  /// `play … rotate=N`: the motif's notes move N places along its rhythm (whole, −1000 … 1000).
  case rotate
  /// `play … steps=N`: scale steps, −96 … 96, whole.
  case steps
  /// A note's filter cutoff in Hz, 20 … 20,000 (moves in octaves).
  case cutoff
  /// A note's filter resonance 0 (none, Q 0.707) … 1 (Q 20, nearly ringing).
  case res
  /// How far the filter envelope opens the cutoff, in octaves, -8 … 8.
  case fenv
  /// Portamento in seconds, 0 … 10: a legato note slides from the note it follows.
  case glide
  /// Pitch bend in semitones, -48 … 48, reached at the note's end (or moved by a ramp, curve or LFO).
  case bend
  /// Sampler: where playback starts, as a share 0 … 1 of the sample.
  case start
  /// Sampler: playback speed 0.125 … 8 (2 = an octave up and twice as fast; moves in octaves).
  case rate
}

/// Where attributes are written, and which they may use there.
enum AttributeContext {
  case note, play, block, section

  /// The attributes written here may use (a shared constant: the check runs once per attribute).
  var allowed: [NoteAttribute] {
    switch self {
    case .note: return Self.noteAttributes
    case .play: return Self.playAttributes
    case .block: return Self.blockAttributes
    case .section: return Self.sectionAttributes
    }
  }

  private static let noteAttributes: [NoteAttribute] = [
    .dur, .vel, .pan, .gain, .prob, .nudge, .attack, .decay, .sustain, .release, .cutoff, .res, .fenv, .glide, .bend,
    .start, .rate,
  ]
  private static let playAttributes: [NoteAttribute] = [.transpose, .steps, .vel, .gain, .speed, .rotate]
  private static let blockAttributes: [NoteAttribute] = [.gain, .pan, .width]
  private static let sectionAttributes: [NoteAttribute] = [.length]

  /// `allowed` as a set of `NoteAttribute.bit`s.
  var allowedMask: UInt32 {
    switch self {
    case .note: return Self.noteMask
    case .play: return Self.playMask
    case .block: return Self.blockMask
    case .section: return Self.sectionMask
    }
  }

  private static let noteMask = mask(noteAttributes)
  private static let playMask = mask(playAttributes)
  private static let blockMask = mask(blockAttributes)
  private static let sectionMask = mask(sectionAttributes)
  private static func mask(_ kinds: [NoteAttribute]) -> UInt32 { kinds.reduce(0) { $0 | $1.bit } }

  var example: String {
    switch self {
    case .note: return "piano C4 0 dur=1 vel=0.8"
    case .play: return "play hook at 8 transpose=5 vel=0.8 reverse"
    case .block: return "melody(gain=-6, pan=-0.3, width=1.2, send room=-12, fx=eq(low=-2)) { … }"
    case .section: return "section verse(length=16) { … }"
    }
  }
}

/// Checked attribute values, by kind (last one written wins). Nil fields were not written.
///
/// Constant values are a table indexed by kind, not a dictionary: hashing and growing three dictionaries per note was
/// an eighth of compiling a large song.
struct AttributeValues {
  /// Constant values by kind (`NoteAttribute.ordinal`), those written marked in `written`; a later write replaces
  /// the value. Inline: a list on the heap per note was a malloc and a free of every note statement.
  private var constants = InlineArray<24, BeatTime>(repeating: .zero)
  private var written: UInt32 = 0
  /// Values that move (`cutoff=300 -> 6000`), checked further by `Lowering.automation`.
  var moving: [NoteAttribute: (value: NumberLiteral, automation: AutomationExpr)] = [:]
  /// `vel=0.8 ~ 0.1`: the spread as written (only `vel` takes one).
  private var velocitySpread: BeatTime?

  /// Checks `attributes` for `context`. Nil (with diagnostics) when any is unknown, misplaced or out of range.
  init?(_ attributes: [Attribute], _ context: AttributeContext, _ diagnostics: inout [Diagnostic]) {
    var valid = true
    self.init(attributes, context, &diagnostics, valid: &valid)
    if !valid { return nil }
  }

  /// Checks `attributes` for `context`; `valid` turns false (with diagnostics) when any is unknown, misplaced or out
  /// of range. Not failable, so a note's values are built where they are kept: the optional's 400 bytes were
  /// copied twice per note.
  init(_ attributes: [Attribute], _ context: AttributeContext, _ diagnostics: inout [Diagnostic], valid: inout Bool) {
    let allowed = context.allowedMask
    for attribute in attributes {
      guard let kind = attribute.noteKind, allowed & kind.bit != 0 else {
        let names = context.allowed.map(\.rawValue)
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
      if let spread = attribute.spread, kind != .vel {
        diagnostics.append(
          .error(
            "only vel= takes a spread (~)", at: spread.range,
            hint: "vel=0.8 ~ 0.1 draws each note's velocity in 0.7 … 0.9; for timing use nudge="))
        valid = false
        continue
      }
      if let automation = attribute.automation {
        guard kind.automatable(in: context) else {
          diagnostics.append(
            .error(
              "\(kind.rawValue) cannot move over time here", at: automation.range,
              hint: "give it one value (\(kind.rawValue)=…); "
                + (context == .block
                  ? "gain, pan and width of a track can move" : "cutoff, res, bend and rate of a note can move")))
          valid = false
          continue
        }
        written &= ~kind.bit
        moving[kind] = (attribute.value, automation)
        continue
      }
      if !moving.isEmpty { moving[kind] = nil }
      let exact = attribute.exactValue
      guard kind.accepts(exact) else {
        diagnostics.append(.error(kind.rangeMessage, at: attribute.value.range, hint: kind.rangeHint))
        valid = false
        continue
      }
      constants[kind.ordinal] = exact
      written |= kind.bit
      if let spread = attribute.spread {
        guard spread.value <= (exact > .one ? BeatTime(127) : .one) else {
          diagnostics.append(
            .error(
              "the spread must be 0 … 1 (0 … 127 for a MIDI velocity)", at: spread.range,
              hint: "vel=0.8 ~ 0.1 draws each note's velocity in 0.7 … 0.9"))
          valid = false
          continue
        }
        velocitySpread = spread.value
      }
    }
  }

  /// `vel=` and its spread as levels 0 … 1 (a MIDI velocity and its spread divided by 127); spread 0 when none.
  var velocity: (level: Double, spread: Double)? {
    guard let v = double(.vel) else { return nil }
    let spread = velocitySpread?.doubleValue ?? 0
    return (NoteAttribute.velocity(v), v > 1 ? spread / 127 : spread)
  }

  subscript(_ kind: NoteAttribute) -> BeatTime? {
    written & kind.bit != 0 ? constants[kind.ordinal] : nil
  }

  func double(_ kind: NoteAttribute) -> Double? { self[kind]?.doubleValue }

  /// Whether `kind` was written, constant or moving.
  func has(_ kind: NoteAttribute) -> Bool { self[kind] != nil || (!moving.isEmpty && moving[kind] != nil) }
}

extension NoteAttribute {
  /// The case's place in declaration order (0 …), for tables indexed by kind.
  var ordinal: Int {
    switch self {
    case .dur: 0
    case .vel: 1
    case .pan: 2
    case .gain: 3
    case .prob: 4
    case .nudge: 5
    case .attack: 6
    case .decay: 7
    case .sustain: 8
    case .release: 9
    case .transpose: 10
    case .length: 11
    case .width: 12
    case .speed: 13
    case .rotate: 14
    case .steps: 15
    case .cutoff: 16
    case .res: 17
    case .fenv: 18
    case .glide: 19
    case .bend: 20
    case .start: 21
    case .rate: 22
    }
  }

  /// The kind as one bit of a set (`1 << ordinal`).
  var bit: UInt32 { 1 << UInt32(ordinal) }

  /// The attribute called `name`, as `init(rawValue:)` finds it. It runs for every attribute of every note: the
  /// name's length and first and last letters pick the one candidate, and one comparison confirms it (no hashing,
  /// and no shared table to reference-count; both showed in profiles).
  static func named(_ name: String) -> NoteAttribute? {
    let utf8 = name.utf8
    // Length, first and last byte read from contiguous bytes where the string has them (`utf8.last` walks the
    // view's indices).
    let ends: (Int, UInt8, UInt8)?? = utf8.withContiguousStorageIfAvailable { b in
      b.isEmpty ? nil : (b.count, b[0], b[b.count - 1])
    }
    let shape = ends ?? utf8.first.map { (utf8.count, $0, utf8.last!) }
    if let (count, first, last) = shape, let candidate = candidate(count, first, last), candidate.rawValue == name {
      return candidate
    }
    // Only a name with non-ASCII characters can still equal one (canonically, at another length).
    return utf8.allSatisfy({ $0 < 0x80 }) ? nil : NoteAttribute(rawValue: name)
  }

  /// The only attribute whose name has this length, first and last byte (`named`; a test checks every case).
  private static func candidate(_ length: Int, _ first: UInt8, _ last: UInt8) -> NoteAttribute? {
    switch (length, Unicode.Scalar(first), Unicode.Scalar(last)) {
    case (3, "d", "r"): .dur
    case (3, "v", "l"): .vel
    case (3, "p", "n"): .pan
    case (3, "r", "s"): .res
    case (4, "g", "n"): .gain
    case (4, "p", "b"): .prob
    case (4, "f", "v"): .fenv
    case (4, "b", "d"): .bend
    case (4, "r", "e"): .rate
    case (5, "n", "e"): .nudge
    case (5, "d", "y"): .decay
    case (5, "w", "h"): .width
    case (5, "s", "d"): .speed
    case (5, "s", "s"): .steps
    case (5, "s", "t"): .start
    case (5, "g", "e"): .glide
    case (6, "a", "k"): .attack
    case (6, "l", "h"): .length
    case (6, "r", "e"): .rotate
    case (6, "c", "f"): .cutoff
    case (7, "s", "n"): .sustain
    case (7, "r", "e"): .release
    case (9, "t", "e"): .transpose
    default: nil
    }
  }

  /// Whether the attribute may move over time in `context`.
  func automatable(in context: AttributeContext) -> Bool {
    switch context {
    case .block: return [.gain, .pan, .width].contains(self)
    case .note: return [.cutoff, .res, .bend, .rate].contains(self)
    case .play, .section: return false
    }
  }

  /// The parameter a moving value of this attribute is checked against.
  var automated: AutomatedParameter {
    switch self {
    case .gain:
      return AutomatedParameter(
        name: "gain", unit: "dB", range: -96...24, defaultValue: 0, example: "gain=-24 -> 0 over 16")
    case .pan:
      return AutomatedParameter(
        name: "pan", unit: "", range: -1...1, defaultValue: 0, example: "pan=lfo(sine, period=4, depth=0.6)")
    case .width: return AutomatedParameter(name: "width", unit: "", range: 0...2, defaultValue: 1)
    case .cutoff:
      return AutomatedParameter(
        name: "cutoff", unit: "Hz", range: 20...20000, defaultValue: 2000, example: "cutoff=300 -> 6000")
    case .res: return AutomatedParameter(name: "res", unit: "", range: 0...1, defaultValue: 0)
    case .bend:
      return AutomatedParameter(
        name: "bend", unit: "semitones", range: -48...48, defaultValue: 0, example: "bend=0 -> 2 over 1/2")
    case .rate:
      return AutomatedParameter(name: "rate", unit: "×", range: 0.125...8, defaultValue: 1, example: "rate=1 -> 2")
    default: return AutomatedParameter(name: rawValue, unit: "", range: 0...1, defaultValue: 0)
    }
  }

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
    case .transpose, .steps: return exact.denominator == 1 && (-96...96).contains(x)
    case .speed: return exact >= BeatTime(1, 64) && exact <= BeatTime(64)
    case .rotate: return exact.denominator == 1 && (-1000...1000).contains(x)
    case .cutoff: return (20...20000).contains(x)
    case .res, .start: return (0...1).contains(x)
    case .fenv: return (-8...8).contains(x)
    case .glide: return (0...10).contains(x)
    case .bend: return (-48...48).contains(x)
    case .rate: return (0.125...8).contains(x)
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
    case .steps: return "steps must be a whole number of scale steps, -96 … 96"
    case .speed: return "speed must be a ratio 1/64 … 64"
    case .rotate: return "rotate must be a whole number of places, -1000 … 1000"
    case .cutoff: return "cutoff must be 20 … 20000 Hz"
    case .res: return "res must be 0 (no resonance) … 1 (nearly ringing)"
    case .fenv: return "fenv must be -8 … 8 octaves"
    case .glide: return "glide must be 0 … 10 seconds"
    case .bend: return "bend must be -48 … 48 semitones"
    case .start: return "start must be a share 0 … 1 of the sample"
    case .rate: return "rate must be 0.125 … 8"
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
    case .steps: return "steps=2 moves each note two degrees up the scale in force"
    case .speed: return "speed=2 plays the motif twice as fast, speed=1/2 half as fast"
    case .rotate: return "rotate=1 gives each note's place the next note's pitch (C D E → D E C)"
    case .cutoff: return "cutoff is in Hz: cutoff=800, or cutoff=300 -> 6000 to open over the note"
    case .res: return "res=0.6 rings clearly"
    case .fenv: return "fenv=2 opens the filter two octaves at the envelope's peak"
    case .glide: return "glide=0.1 slides for a tenth of a second from the note before"
    case .bend: return "bend=2 rises a whole tone by the note's end; bend=-12 falls an octave"
    case .start: return "start=0.5 starts halfway into the sample"
    case .rate: return "rate=2 plays an octave up, rate=0.5 an octave down"
    }
  }

  /// A `vel=` value as a level 0 … 1: values above 1 are MIDI velocities (÷ 127).
  public static func velocity(_ x: Double) -> Double { x > 1 ? x / 127 : x }
}
