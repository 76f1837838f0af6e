/// What an instrument can play, as far as the language needs to know to check a score.
public enum Playable: Hashable, Sendable {
  /// Pitched: MIDI notes in this range.
  case pitches(ClosedRange<Int>)
  /// A kit: these named hits (matched case-insensitively, reported in this spelling).
  case hits([String])
}

/// An instrument the resolver can bind a name to. The engine decides how it sounds, keyed by `id`; MIDI export
/// plays it with `midiProgram`.
///
/// A class so each of a score's many events holds one reference rather than a copy of its strings.
public final class InstrumentDescriptor: Hashable, Sendable {
  /// The identity the engine's patch bank and MIDI export know.
  public let id: InstrumentID
  /// One line for `pstudio instruments`.
  public var summary: String { known?.summary ?? later!.value.summary }
  public var playable: Playable { known?.playable ?? later!.value.playable }
  /// The General MIDI program (0 … 127, 0-based) a MIDI export gives its channel; kits play on channel 10.
  public let midiProgram: Int
  /// The MIDI bank (SoundFont presets: 0 … 127 melodic, 128 percussion); 0 for everything else.
  public let midiBank: Int
  /// Which of a note's own sound settings (`cutoff=`, `glide=`, `start=` …) its voices take.
  public let expression: ExpressionSupport
  /// The summary and what it plays: known at once, or worked out on first use (a SoundFont preset's key range
  /// needs the font parsed, which only a song that imports it should pay for).
  private let known: (summary: String, playable: Playable)?
  private let later: InstrumentDetails?

  public static func == (a: InstrumentDescriptor, b: InstrumentDescriptor) -> Bool {
    a.id == b.id && a.summary == b.summary && a.playable == b.playable && a.midiProgram == b.midiProgram
      && a.midiBank == b.midiBank && a.expression == b.expression
  }

  public func hash(into h: inout Hasher) { h.combine(id) }

  /// - Parameters:
  ///   - midiProgram: General MIDI program, 0 … 127 (clamped).
  ///   - midiBank: MIDI bank, 0 … 128 (clamped; 128 is percussion).
  ///   - expression: the per-note settings its voices take (none by default).
  public init(
    id: InstrumentID, summary: String, playable: Playable, midiProgram: Int = 0, midiBank: Int = 0,
    expression: ExpressionSupport = []
  ) {
    self.expression = expression
    self.midiBank = max(0, min(128, midiBank))
    self.id = id
    self.known = (summary, playable)
    self.later = nil
    self.midiProgram = max(0, min(127, midiProgram))
  }

  /// An instrument whose summary and range are worked out by `details` when first asked for (once, by whichever
  /// thread asks first).
  public init(
    id: InstrumentID, midiProgram: Int = 0, midiBank: Int = 0, expression: ExpressionSupport = [],
    details: @escaping @Sendable () -> (summary: String, playable: Playable)
  ) {
    self.expression = expression
    self.midiBank = max(0, min(128, midiBank))
    self.id = id
    self.known = nil
    self.later = InstrumentDetails(details)
    self.midiProgram = max(0, min(127, midiProgram))
  }

  /// The canonical spelling of `hit` if this instrument plays it.
  public func canonicalHit(_ hit: String) -> String? {
    guard case .hits(let hits) = playable else { return nil }
    return hits.first { InstrumentDescriptor.sameIgnoringCase($0, hit) }
  }

  /// `a.lowercased() == b.lowercased()`, without building two strings when both are ASCII (every drum note of a
  /// song asks, for each name of its kit until one matches).
  static func sameIgnoringCase(_ a: String, _ b: String) -> Bool {
    var (x, y) = (a.utf8.makeIterator(), b.utf8.makeIterator())
    while true {
      switch (x.next(), y.next()) {
      case (nil, nil): return true
      case (let p?, let q?) where p < 0x80 && q < 0x80:
        let fold: (UInt8) -> UInt8 = { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
        if fold(p) != fold(q) { return false }
      case (nil, let q?) where q < 0x80, (let q?, nil) where q < 0x80:
        // One ended on ASCII, the other goes on with ASCII: a character more, whatever follows.
        return false
      default:
        // Non-ASCII here: Unicode's lowercasing and canonical equivalence decide.
        return a.lowercased() == b.lowercased()
      }
    }
  }
}

/// The instruments a score may use: built-in names that need no import, and modules an `import` can bind.
public struct InstrumentCatalog: Sendable {
  /// Usable by bare name, in listing order.
  public var builtins: [InstrumentDescriptor]
  /// Module name → instrument, in listing order.
  public var modules: [(name: String, instrument: InstrumentDescriptor)]
  /// Modules that exist but cannot be used, with the reason (an invalid instrument file, a link that leaves
  /// its folder): importing one is an error that gives the reason.
  public var unavailable: [(name: String, reason: String)]
  /// Where modules were looked for, said in the hint of an unknown module ("searched: …"); nil when the
  /// catalog does not come from folders.
  public var searchNote: String?

  public init(
    builtins: [InstrumentDescriptor], modules: [(name: String, instrument: InstrumentDescriptor)],
    unavailable: [(name: String, reason: String)] = []
  ) {
    self.builtins = builtins
    self.modules = modules
    self.unavailable = unavailable
  }

  public func builtin(_ name: String) -> InstrumentDescriptor? { builtins.first { $0.id == .builtIn(name) } }
  public func module(_ name: String) -> InstrumentDescriptor? { modules.first { $0.name == name }?.instrument }

  /// The drum names of the built-in kit.
  public static let drumHits = ["Kick", "Snare", "HiHat", "Crash", "Tom"]

  /// The instruments built into Pattern Studio (the original design's `piano`, `synth` and `guitar`, plus the
  /// plain waveforms).
  public static let builtIn: InstrumentCatalog = {
    let wide = Playable.pitches(12...120)
    // General MIDI programs (0-based): 0 Acoustic Grand Piano, 25 Acoustic Guitar (steel), 79 Ocarina,
    // 73 Recorder, 81 Lead 2 (sawtooth), 80 Lead 1 (square), 122 Seashore.
    let piano = InstrumentDescriptor(
      id: .piano, summary: "acoustic piano (additive, inharmonic partials), C1–C7", playable: .pitches(24...96),
      midiProgram: 0)
    let synth = InstrumentDescriptor(
      id: .synth, summary: "synthesised drum kit: Kick, Snare, HiHat, Crash, Tom", playable: .hits(drumHits))
    let guitar = InstrumentDescriptor(
      id: .guitar, summary: "plucked steel string (Karplus–Strong), E2–E5", playable: .pitches(40...76),
      midiProgram: 25)
    let sine = InstrumentDescriptor(
      id: .sine, summary: "sine wave with ADSR", playable: wide, midiProgram: 79, expression: .synth)
    let triangle = InstrumentDescriptor(
      id: .triangle, summary: "band-limited triangle (PolyBLAMP) with ADSR", playable: wide, midiProgram: 73,
      expression: .synth)
    let saw = InstrumentDescriptor(
      id: .saw, summary: "band-limited sawtooth (PolyBLEP) through a resonant low-pass", playable: wide,
      midiProgram: 81, expression: .synth)
    let square = InstrumentDescriptor(
      id: .square, summary: "band-limited square (PolyBLEP) with ADSR", playable: wide, midiProgram: 80,
      expression: .synth)
    let noise = InstrumentDescriptor(
      id: .noise, summary: "seeded white noise through a resonant low-pass tuned to the note", playable: wide,
      midiProgram: 122, expression: .filter)
    let all = [piano, synth, guitar, sine, triangle, saw, square, noise]
    let grand = InstrumentDescriptor(
      id: .grand, summary: "modelled grand piano (three detuned strings, two-stage decay, velocity-hard hammer), A0–C8",
      playable: .pitches(21...108), midiProgram: 0)
    var modules: [(String, InstrumentDescriptor)] = [("grand", grand), ("drums", synth)]
    modules += all.map { ($0.id.rawValue, $0) }
    return InstrumentCatalog(builtins: all, modules: modules)
  }()
}
