/// The per-note values a statement's attributes set, checked against their ranges.
struct NoteSettings {
  var duration = Resolver.defaultDuration
  var velocity = 1.0
  var pan = 0.0
  var envelope = EnvelopeOverride()

  /// Applies `attributes` in order. Returns nil (with diagnostics) when any is unknown or out of range.
  init?(_ attributes: [Attribute], _ diagnostics: inout [Diagnostic]) {
    var valid = true
    for attribute in attributes {
      guard let kind = NoteAttribute(rawValue: attribute.name.text) else {
        let names = NoteAttribute.allCases.map(\.rawValue)
        diagnostics.append(
          .error(
            "unknown attribute '\(attribute.name.text)'", at: attribute.name.range,
            hint: Suggestions.hint(for: attribute.name.text, in: names)
              ?? "attributes: " + names.joined(separator: ", ")))
        valid = false
        continue
      }
      let exact = attribute.value.value
      let x = exact.doubleValue
      // dur is exact (beats) and only has a lower bound; the rest are plain numbers in a closed range.
      let inRange = kind == .dur ? exact > .zero : kind.validRange.contains(x)
      guard inRange else {
        diagnostics.append(.error(kind.rangeMessage, at: attribute.value.range, hint: kind.rangeHint))
        valid = false
        continue
      }
      switch kind {
      case .dur: duration = exact
      case .vel: velocity = NoteAttribute.velocity(x)
      case .pan: pan = x
      case .attack: envelope.attackSeconds = x
      case .decay: envelope.decaySeconds = x
      case .sustain: envelope.sustainLevel = x
      case .release: envelope.releaseSeconds = x
      }
    }
    if !valid { return nil }
  }
}

extension NoteAttribute {
  /// Accepted values (`dur` is checked exactly: greater than 0 beats).
  var validRange: ClosedRange<Double> {
    switch self {
    case .dur: return 0...Double.greatestFiniteMagnitude
    case .vel: return 0...127
    case .pan: return -1...1
    case .attack, .decay, .release: return 0...60
    case .sustain: return 0...1
    }
  }

  var rangeMessage: String {
    switch self {
    case .dur: return "dur must be greater than 0"
    case .vel: return "vel must be 0 … 1 (or a MIDI velocity 0 … 127)"
    case .pan: return "pan must be between -1 (left) and 1 (right)"
    case .attack, .decay, .release: return "\(rawValue) must be 0 … 60 seconds"
    case .sustain: return "sustain must be a level 0 … 1"
    }
  }

  var rangeHint: String? { self == .dur ? "durations are in beats, e.g. dur=0.5" : nil }

  /// A `vel=` value as a level 0 … 1: values above 1 are MIDI velocities (÷ 127).
  static func velocity(_ x: Double) -> Double { x > 1 ? x / 127 : x }
}
