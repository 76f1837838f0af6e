/// A resolved score: every note with its instrument bound, its time in exact beats, and where it came from.
public struct Score: Hashable, Sendable {
  /// One track per block, in source order.
  public var tracks: [Track]
  /// Notes sorted by start, then source order.
  public var events: [NoteEvent]
  /// Tempo changes sorted by beat; the first is at beat 0.
  public var tempo: [TempoPoint]
  /// `meter N/D;` at the top level (4/4 when not written): the song's own meter. (A section in its own meter
  /// that opens the song changes the meter at beat 0: see `meterMap`.)
  public var meter = Meter(numerator: 4, denominator: 4)
  /// Every meter of the song and where it starts: `meter … at` changes, and each placement of a section with its
  /// own meter. Bar numbers everywhere (`bar:beat`, MIDI time signatures, golden bars) come from it.
  public var meterMap = MeterMap()
  /// `seed N;` (0 when not written): the root of the seeded streams, and of the noise voices.
  public var seed: UInt64 = 0
  /// `title`, `artist`, `album` as written (nil when absent).
  public var title: String?
  public var artist: String?
  public var album: String?
  /// Where arranged sections sound, in song order (nested ones named `outer/inner`).
  public var sections: [SectionPlacement] = []
  /// `bus NAME = …;` in declaration order: effect chains fed by the tracks' sends, mixed after the tracks.
  public var buses: [MixBus] = []
  /// `master(fx=…);`: the chain between the sum of tracks and buses and the file (empty: none).
  public var master: [EffectSpec] = []
  /// MIDI channels pinned by `import … channel=N;`: instrument name → channel 1 … 16 (MIDI export only).
  public var midiChannels: [String: Int] = [:]

  /// Whether any track, bus or the master has effects, sends or a width other than 1.
  public var hasMix: Bool {
    !buses.isEmpty || !master.isEmpty
      || tracks.contains { !$0.inserts.isEmpty || !$0.sends.isEmpty || $0.width != 1 || $0.isAutomated }
  }

  public init(tracks: [Track], events: [NoteEvent], tempo: [TempoPoint]) {
    self.tracks = tracks
    self.events = events
    self.tempo = tempo
  }
}

/// The tempo from `beat` on, in beats per minute (exact); with a ramp, the tempo moves linearly in time
/// to `ramp.beatsPerMinute` over `ramp.beats` beats and stays there until the next point.
public struct TempoPoint: Hashable, Sendable {
  public var beat: BeatTime
  public var beatsPerMinute: BeatTime
  public var ramp: TempoRamp?
  public init(beat: BeatTime, beatsPerMinute: BeatTime, ramp: TempoRamp? = nil) {
    self.beat = beat
    self.beatsPerMinute = beatsPerMinute
    self.ramp = ramp
  }
}

/// `tempo A -> B over L`: the end tempo and the ramp's length in beats.
public struct TempoRamp: Hashable, Sendable {
  public var beatsPerMinute: BeatTime
  public var beats: BeatTime
  public init(beatsPerMinute: BeatTime, beats: BeatTime) {
    self.beatsPerMinute = beatsPerMinute
    self.beats = beats
  }
}

/// A time signature. Beats are quarter notes everywhere in the language; a bar is `numerator × 4 /
/// denominator` beats (3/4 → 3, 6/8 → 3, 7/8 → 3.5).
public struct Meter: Hashable, Sendable {
  public var numerator: Int
  public var denominator: Int
  public init(numerator: Int, denominator: Int) {
    self.numerator = numerator
    self.denominator = denominator
  }
  /// Length of a bar in beats.
  public var beatsPerBar: BeatTime { BeatTime(Int64(numerator) * 4, Int64(denominator)) }
}

/// One arranged section: where it starts and how long it is, in beats.
public struct SectionPlacement: Hashable, Sendable {
  public var name: String
  public var start: BeatTime
  public var length: BeatTime
  public var location: SourceLocation
}

/// A track: one block of the source.
public struct Track: Hashable, Sendable {
  /// Position among the tracks, from 0.
  public var index: Int
  public var kind: BlockKind
  /// `melody`, or `melody 2` for the second melody block.
  public var name: String
  /// Track gain in decibels (`melody(gain=-6)`; 0 = unity).
  public var gainDecibels: Double
  /// Stereo position −1 … 1 added to each note's pan.
  public var pan: Double
  public var location: SourceLocation
  /// Stereo width 0 (mono) … 2 (side doubled); 1 leaves the track as it is (`melody(width=1.5)`).
  public var width: Double = 1
  /// Post-fader sends to buses (`send room=-12`).
  public var sends: [TrackSend] = []
  /// The insert chain (`fx=eq(…) -> comp(…)`): after the track's gain and note pans, before its width and sends.
  public var inserts: [EffectSpec] = []
  /// Gain (dB), pan and width moving over time (nil: the constant above). Song beats.
  public var gainAutomation: Automation?
  public var panAutomation: Automation?
  public var widthAutomation: Automation?

  /// Whether anything of the track moves over time.
  public var isAutomated: Bool {
    gainAutomation != nil || panAutomation != nil || widthAutomation != nil || sends.contains { $0.automation != nil }
      || inserts.contains { !$0.automations.isEmpty }
  }
}

/// Envelope values a note sets for itself; nil fields keep the instrument's.
public struct EnvelopeOverride: Hashable, Sendable {
  public var attackSeconds: Double?
  public var decaySeconds: Double?
  public var sustainLevel: Double?
  public var releaseSeconds: Double?
  public init(
    attackSeconds: Double? = nil, decaySeconds: Double? = nil, sustainLevel: Double? = nil,
    releaseSeconds: Double? = nil
  ) {
    self.attackSeconds = attackSeconds
    self.decaySeconds = decaySeconds
    self.sustainLevel = sustainLevel
    self.releaseSeconds = releaseSeconds
  }
}

/// One note of the score.
public struct NoteEvent: Hashable, Sendable {
  /// Index into `Score.tracks`.
  public var track: Int
  /// The name used in the source (`piano`).
  public var instrumentName: String
  /// The instrument it is bound to.
  public var instrument: InstrumentDescriptor
  public var note: NoteValue
  /// Start, in beats from the beginning of the song.
  public var start: BeatTime
  /// Held length, in beats (> 0); the release follows.
  public var duration: BeatTime
  /// 0 … 1.
  public var velocity: Double
  /// −1 (left) … 1 (right).
  public var pan: Double
  /// Extra gain in decibels (`gain=`, plus any from `play … gain=`); 0 = as the velocity says.
  public var gainDecibels: Double = 0
  /// Per-note envelope overrides (nil: the instrument's own).
  public var envelope: EnvelopeOverride
  /// The note's own filter, glide, bend, sample start and rate (empty: the instrument's own).
  public var expression = NoteExpression()
  /// Where the statement was written (in a motif, the line of its `let`).
  public var location: SourceLocation
  /// The `play` statements that placed the note, outermost first; empty for a note written in a block.
  public var playSites: [SourceLocation] = []
  /// The statement's position in the source (0-based, all blocks together): a stable key for seeded streams.
  public var statementIndex: Int
}

extension NoteValue {
  /// `C4`, `A#3`, `Kick`.
  public var displayName: String {
    switch self {
    case .pitch(let m): return Pitch.name(ofMIDI: m)
    case .hit(let h): return h
    }
  }
}

extension NoteEvent {
  /// The velocity MIDI export writes: `vel` × 127 rounded, 1 … 127; 0 for a silent `vel=0` note (left out of
  /// MIDI files).
  public var midiVelocity: Int { velocity > 0 ? max(1, min(127, Int((velocity * 127).rounded()))) : 0 }
}

extension Score {
  /// The exact event listing the snapshots compare: `0/1 → 1/2 | melody | piano C4 vel:1 pan:0 @2:10`
  /// (`pstudio events` prints `readableListing`, which adds `bar:beat` and seconds).
  public var eventListing: String {
    events.map { "\(eventText($0)) @\($0.location)" }.joined(separator: "\n")
  }

  /// One event as listed, without its source location.
  public func eventText(_ e: NoteEvent) -> String {
    let end = e.start + e.duration
    let gain = e.gainDecibels == 0 ? "" : " gain:\(formatNumber(e.gainDecibels))dB"
    let expression = e.expression.isEmpty ? "" : " " + e.expression.text
    return
      "\(e.start.fractionText) → \(end.fractionText) | \(tracks[e.track].name) | \(e.instrumentName) \(e.note.displayName) vel:\(formatNumber(e.velocity)) pan:\(formatNumber(e.pan))\(gain)\(expression)"
  }

  /// Everything about an event that decides its sound (the listing plus instrument, envelope overrides and the
  /// noise key), for golden event hashes: moving a statement to another line changes nothing here.
  public func eventFingerprintText(_ e: NoteEvent) -> String {
    let env = [e.envelope.attackSeconds, e.envelope.decaySeconds, e.envelope.sustainLevel, e.envelope.releaseSeconds]
      .map { $0.map(formatNumber) ?? "-" }.joined(separator: "/")
    return "\(eventText(e)) id:\(e.instrument.id.rawValue) env:\(env) key:\(e.statementIndex)"
  }
}

/// Shortest round-tripping text of a number, `1` rather than `1.0`.
public func formatNumber(_ x: Double) -> String {
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  return "\(x)"
}

extension TempoPoint {
  /// Seconds from this point's beat to `beats` beats later, inside its ramp (0 ≤ beats ≤ ramp length).
  ///
  /// The tempo moves linearly in time from A to B over T = 120·L/(A+B) s, so beats(τ) = (Aτ + (B−A)τ²/(2T))/60;
  /// this is the cancellation-free root τ = 120u / (A + √(A² + 240·k·u)), k = (B−A)/(2T). Only correctly
  /// rounded IEEE operations: the same on every machine. Without a ramp, the constant tempo's seconds.
  public func secondsInRamp(afterBeats u: Double) -> Double {
    let a = beatsPerMinute.doubleValue
    guard let ramp else { return 60 * u / a }
    let b = ramp.beatsPerMinute.doubleValue
    let t = 120 * ramp.beats.doubleValue / (a + b)
    let k = (b - a) / (2 * t)
    return 120 * u / (a + (a * a + 240 * k * u).squareRoot())
  }
}
