/// One checked effect of a chain: its kind, every parameter's value (defaults filled in, in
/// `kind.parameters` order), its wet share and, for a compressor, the track that keys it.
public struct EffectSpec: Hashable, Sendable {
  public var kind: EffectKind
  /// One value per `kind.parameters` entry, in that order, in the parameter's unit (delay `time` in beats).
  public var values: [Double]
  /// The wet share 0 … 1.
  public var mix: Double
  /// Index into `Score.tracks` of the sidechain key (`comp(key=rhythm)`), nil for the effect's own input.
  public var key: Int?
  public var location: SourceLocation
  /// Parameters that move over time, by index into `kind.parameters` (`EffectSpec.mixIndex` for `mix=`).
  public var automations: [EffectAutomation] = []

  /// The index `automations` uses for `mix=`.
  public static let mixIndex = -1

  public init(kind: EffectKind, values: [Double], mix: Double, key: Int? = nil, location: SourceLocation) {
    self.kind = kind
    self.values = values
    self.mix = mix
    self.key = key
    self.location = location
  }

  /// The value of parameter `name` (which must be one of `kind.parameters`).
  public func value(_ name: String) -> Double {
    guard let i = kind.parameters.firstIndex(where: { $0.name == name }) else {
      preconditionFailure("\(kind) has no parameter \(name)")
    }
    return values[i]
  }

  /// `reverb(decay=2.4, …, mix=1)`: every value, for listings and fingerprints.
  public var text: String {
    var parts = zip(kind.parameters, values).enumerated().map { i, p in
      "\(p.0.name)=" + (automations.first { $0.parameter == i }?.automation.text ?? formatNumber(p.1))
    }
    parts.append(
      "mix=" + (automations.first { $0.parameter == EffectSpec.mixIndex }?.automation.text ?? formatNumber(mix)))
    if let key { parts.append("key=#\(key)") }
    return "\(kind.rawValue)(\(parts.joined(separator: ", ")))"
  }
}

/// `bus room = reverb(…) -> …;`: a named effect chain fed by tracks' sends.
public struct MixBus: Hashable, Sendable {
  public var name: String
  public var effects: [EffectSpec]
  public var location: SourceLocation

  public init(name: String, effects: [EffectSpec], location: SourceLocation) {
    self.name = name
    self.effects = effects
    self.location = location
  }
}

/// `send room=-12`: a post-fader share of a track into a bus.
public struct TrackSend: Hashable, Sendable {
  /// Index into `Score.buses`.
  public var bus: Int
  /// Send level in dB (−96 … 12).
  public var gainDecibels: Double
  /// The level moving over time (dB, song beats), nil when constant.
  public var automation: Automation?

  public init(bus: Int, gainDecibels: Double) {
    self.bus = bus
    self.gainDecibels = gainDecibels
  }
}

extension Score {
  /// The mix graph as text, for snapshots: each track's fader, pan, width, sends and inserts, each bus's
  /// chain, the master chain (empty when the song has no mix).
  public var mixListing: String {
    guard hasMix else { return "" }
    var lines: [String] = []
    for t in tracks {
      let sends = t.sends.map { "send \(buses[$0.bus].name)=" + ($0.automation?.text ?? formatNumber($0.gainDecibels)) }
      let fx = t.inserts.map(\.text).joined(separator: " -> ")
      lines.append(
        "track \(t.name): gain=\(t.gainAutomation?.text ?? formatNumber(t.gainDecibels)) pan=\(t.panAutomation?.text ?? formatNumber(t.pan)) width=\(t.widthAutomation?.text ?? formatNumber(t.width))"
          + (sends.isEmpty ? "" : " " + sends.joined(separator: " ")) + (fx.isEmpty ? "" : " fx=" + fx))
    }
    for b in buses { lines.append("bus \(b.name) = " + b.effects.map(\.text).joined(separator: " -> ")) }
    if !master.isEmpty { lines.append("master = " + master.map(\.text).joined(separator: " -> ")) }
    return lines.joined(separator: "\n")
  }
}

/// One effect parameter moving over time.
public struct EffectAutomation: Hashable, Sendable {
  /// Index into `kind.parameters`, or `EffectSpec.mixIndex`.
  public var parameter: Int
  public var automation: Automation

  public init(parameter: Int, automation: Automation) {
    self.parameter = parameter
    self.automation = automation
  }
}
