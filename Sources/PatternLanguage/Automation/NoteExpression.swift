/// A note's own sound settings (`cutoff=`, `res=`, `fenv=`, `glide=`, `bend=`, `start=`, `rate=`); nil fields
/// keep the instrument's. Moving values are `Automation`s in song beats (the note's start already added).
public struct NoteExpression: Hashable, Sendable {
  /// The settings, boxed: most notes set none (nil), and every `NoteEvent` carries one, so the event stays small
  /// to copy and sort. Copy-on-write through `update`.
  private var box: Box?

  /// The stored settings; equality and hashing are synthesised from these.
  private struct Fields: Hashable {
    var cutoff: Automation?
    var resonance: Automation?
    var filterEnvelopeOctaves: Double?
    var glideSeconds: Double?
    var glideFrom: Int?
    var bend: Automation?
    var sampleStart: Double?
    var rate: Automation?
  }

  private final class Box: @unchecked Sendable {
    // Written only while uniquely referenced (`update`), read-only once shared: safe to send.
    var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  /// The settings, empty when nothing is set.
  private var fields: Fields { box?.fields ?? Fields() }

  private mutating func update(_ change: (inout Fields) -> Void) {
    if box == nil {
      box = Box(Fields())
    } else if !isKnownUniquelyReferenced(&box!) {
      box = Box(box!.fields)
    }
    change(&box!.fields)
  }

  /// Filter cutoff in Hz (moves in octaves).
  public var cutoff: Automation? {
    get { box?.fields.cutoff }
    set { update { $0.cutoff = newValue } }
  }
  /// Resonance 0 … 1 (Q 0.707 … 20, see `NoteExpression.q(resonance:)`).
  public var resonance: Automation? {
    get { box?.fields.resonance }
    set { update { $0.resonance = newValue } }
  }
  /// Filter envelope amount in octaves.
  public var filterEnvelopeOctaves: Double? {
    get { box?.fields.filterEnvelopeOctaves }
    set { update { $0.filterEnvelopeOctaves = newValue } }
  }
  /// Portamento time in seconds; `glideFrom` is set when the note follows a held note of the same instrument
  /// on the same track (legato), and is that note's MIDI pitch.
  public var glideSeconds: Double? {
    get { box?.fields.glideSeconds }
    set { update { $0.glideSeconds = newValue } }
  }
  public var glideFrom: Int? {
    get { box?.fields.glideFrom }
    set { update { $0.glideFrom = newValue } }
  }
  /// Pitch offset in semitones.
  public var bend: Automation? {
    get { box?.fields.bend }
    set { update { $0.bend = newValue } }
  }
  /// Sampler: start offset as a share 0 … 1 of the sample.
  public var sampleStart: Double? {
    get { box?.fields.sampleStart }
    set { update { $0.sampleStart = newValue } }
  }
  /// Sampler: playback-rate factor (moves in octaves).
  public var rate: Automation? {
    get { box?.fields.rate }
    set { update { $0.rate = newValue } }
  }

  public init() {}

  /// Whether nothing is set.
  public var isEmpty: Bool { box == nil || box!.fields == Fields() }

  public static func == (a: NoteExpression, b: NoteExpression) -> Bool { a.box === b.box || a.fields == b.fields }

  public func hash(into h: inout Hasher) { h.combine(fields) }

  /// Whether the note's pitch moves (a glide that happens, a bend, a rate other than 1).
  public var movesPitch: Bool { glideFrom != nil || bend != nil || rate != nil }

  /// `res=` 0 … 1 as a filter Q: 0.7071 · 2^(5·res) (0 → 0.707, 0.5 → 4, 1 → 22.6), capped at 20.
  public static func q(resonance: Double) -> Double {
    min(20, 0.707_106_781_186_547_6 * AutomationMath.exp2(5 * resonance))
  }

  /// The same settings with every time stretched by `ratio` (a play's `speed=`: the note's ramps keep their
  /// place in the note) and then moved `beats` later (a note's relative times made song times). An LFO keeps
  /// its period: it follows the song's beat grid.
  func shifted(by beats: BeatTime, scaledBy ratio: BeatTime = .one) -> NoteExpression {
    var e = self
    func move(_ a: Automation?) -> Automation? {
      guard var a else { return nil }
      a.origin = a.origin * ratio + beats
      a.stretch = a.stretch * ratio
      return a
    }
    e.cutoff = move(cutoff)
    e.resonance = move(resonance)
    e.bend = move(bend)
    e.rate = move(rate)
    return e
  }

  /// `cutoff:300@0 → 6000@8 res:0.6 glide:0.1<C4` for listings and golden fingerprints (empty when nothing).
  public var text: String {
    var parts: [String] = []
    if let cutoff { parts.append("cutoff:" + cutoff.text) }
    if let resonance { parts.append("res:" + resonance.text) }
    if let filterEnvelopeOctaves { parts.append("fenv:\(formatNumber(filterEnvelopeOctaves))") }
    if let glideSeconds {
      parts.append("glide:\(formatNumber(glideSeconds))" + (glideFrom.map { "<" + Pitch.name(ofMIDI: $0) } ?? ""))
    }
    if let bend { parts.append("bend:" + bend.text) }
    if let sampleStart { parts.append("start:\(formatNumber(sampleStart))") }
    if let rate { parts.append("rate:" + rate.text) }
    return parts.joined(separator: " ")
  }
}
