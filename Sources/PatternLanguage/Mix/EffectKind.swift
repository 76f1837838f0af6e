/// The effects the language knows, each with its parameters (name, unit, range, default). `docs/LANGUAGE.md`
/// lists the same table; the engine (`PatternEngine/Effects/`) gives each its sound.
public enum EffectKind: String, CaseIterable, Sendable, Hashable {
  case reverb, delay, eq, hp, lp, peak, lowshelf, highshelf, comp, drive, chorus, limit

  /// One parameter of an effect.
  public struct Parameter: Sendable, Hashable {
    public var name: String
    /// Unit as the docs write it: "s", "beats", "dB", "Hz", "dBTP", "" for plain numbers.
    public var unit: String
    public var range: ClosedRange<Double>
    public var defaultValue: Double
    /// 0 also accepted and meaning "off" (e.g. `eq(hp=0)`), outside `range`.
    public var zeroIsOff = false
  }

  /// The wet share `mix=` (every effect has it): its default on a bus is 1; in a track's or the master's
  /// chain it is `insertMix`.
  public static let mixParameter = Parameter(name: "mix", unit: "", range: 0...1, defaultValue: 1)

  /// The default wet share of this effect in a track's `fx=` or `master(fx=…)` chain.
  public var insertMix: Double {
    switch self {
    case .reverb: return 0.25
    case .delay: return 0.3
    case .chorus: return 0.5
    default: return 1
    }
  }

  /// The parameters in a fixed order (the order `EffectSpec.values` uses), without `mix` and `key`.
  public var parameters: [Parameter] {
    func p(_ n: String, _ u: String, _ r: ClosedRange<Double>, _ d: Double, off: Bool = false) -> Parameter {
      Parameter(name: n, unit: u, range: r, defaultValue: d, zeroIsOff: off)
    }
    switch self {
    case .reverb:
      return [
        p("decay", "s", 0.1...30, 2), p("predelay", "s", 0...0.5, 0.01), p("damp", "", 0...1, 0.5),
        p("size", "", 0...1, 0.7), p("width", "", 0...1, 1),
      ]
    case .delay:
      return [
        p("time", "beats", 1.0 / 64...16, 0.5), p("feedback", "", 0...0.95, 0.4), p("damp", "", 0...1, 0.3),
        p("pingpong", "", 0...1, 0),
      ]
    case .eq:
      return [
        p("low", "dB", -24...24, 0), p("lowfreq", "Hz", 20...2000, 200), p("high", "dB", -24...24, 0),
        p("highfreq", "Hz", 1000...20000, 6000), p("hp", "Hz", 10...20000, 0, off: true),
        p("lp", "Hz", 20...24000, 0, off: true), p("hpq", "", 0.1...10, 0.7071), p("lpq", "", 0.1...10, 0.7071),
        p("mid", "dB", -24...24, 0), p("midfreq", "Hz", 20...20000, 1000), p("midq", "", 0.1...10, 0.7071),
        p("mid2", "dB", -24...24, 0), p("mid2freq", "Hz", 20...20000, 3000), p("mid2q", "", 0.1...10, 0.7071),
        p("mid3", "dB", -24...24, 0), p("mid3freq", "Hz", 20...20000, 300), p("mid3q", "", 0.1...10, 0.7071),
      ]
    case .hp, .lp:
      return [p("freq", "Hz", 10...24000, self == .hp ? 80 : 8000), p("q", "", 0.1...10, 0.7071)]
    case .peak:
      return [p("freq", "Hz", 20...20000, 1000), p("gain", "dB", -24...24, 0), p("q", "", 0.1...10, 0.7071)]
    case .lowshelf, .highshelf:
      return [p("freq", "Hz", 20...20000, self == .lowshelf ? 200 : 6000), p("gain", "dB", -24...24, 0)]
    case .comp:
      return [
        p("threshold", "dB", -60...0, -18), p("ratio", "", 1...50, 4), p("knee", "dB", 0...24, 6),
        p("attack", "s", 0.0001...1, 0.01), p("release", "s", 0.001...5, 0.2), p("makeup", "dB", -24...24, 0),
      ]
    case .drive:
      return [p("amount", "", 0...1, 0.5)]
    case .chorus:
      return [p("rate", "Hz", 0.01...10, 0.8), p("depth", "", 0...1, 0.5)]
    case .limit:
      return [p("ceiling", "dBTP", -24...0, -1), p("release", "s", 0.001...2, 0.1)]
    }
  }

  /// Whether `key=` (a sidechain track) is accepted.
  public var acceptsKey: Bool { self == .comp }

  /// An example call for hints.
  public var example: String {
    switch self {
    case .reverb: return "reverb(decay=2.4, predelay=0.02, damp=0.5, size=0.8, width=1)"
    case .delay: return "delay(time=3/4, feedback=0.4, damp=0.3, pingpong=1)"
    case .eq: return "eq(low=-2, high=3, hp=80)"
    case .hp: return "hp(freq=80, q=0.7071)"
    case .lp: return "lp(freq=8000)"
    case .peak: return "peak(freq=400, gain=-3, q=1.4)"
    case .lowshelf: return "lowshelf(freq=200, gain=-2)"
    case .highshelf: return "highshelf(freq=6000, gain=3)"
    case .comp: return "comp(threshold=-18, ratio=3, attack=0.01, release=0.2)"
    case .drive: return "drive(amount=0.3)"
    case .chorus: return "chorus(rate=0.8, depth=0.5)"
    case .limit: return "limit(ceiling=-1, release=0.1)"
    }
  }
}
