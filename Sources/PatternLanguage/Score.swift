/// A resolved score: every note with its instrument bound, its time in exact beats, and where it came from.
public struct Score: Hashable, Sendable {
  /// One track per block, in source order.
  public var tracks: [Track]
  /// Notes sorted by start, then source order.
  public var events: [NoteEvent]
  /// Tempo changes sorted by beat; the first is at beat 0.
  public var tempo: [TempoPoint]

  public init(tracks: [Track], events: [NoteEvent], tempo: [TempoPoint]) {
    self.tracks = tracks
    self.events = events
    self.tempo = tempo
  }
}

/// The tempo from `beat` on, in beats per minute (exact).
public struct TempoPoint: Hashable, Sendable {
  public var beat: BeatTime
  public var beatsPerMinute: BeatTime
  public init(beat: BeatTime, beatsPerMinute: BeatTime) {
    self.beat = beat
    self.beatsPerMinute = beatsPerMinute
  }
}

/// A track: one block of the source.
public struct Track: Hashable, Sendable {
  /// Position among the tracks, from 0.
  public var index: Int
  public var kind: BlockKind
  /// `melody`, or `melody 2` for the second melody block.
  public var name: String
  /// Linear gain (1 = unity).
  public var gain: Double
  /// Stereo position −1 … 1 added to each note's pan.
  public var pan: Double
  public var location: SourceLocation
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
  /// Per-note envelope overrides (nil: the instrument's own).
  public var envelope: EnvelopeOverride
  /// Where the statement was written.
  public var location: SourceLocation
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

extension Score {
  /// The event listing used in snapshots and `pstudio events`: `0/1 → 1/2 | melody | piano C4 vel:1 pan:0`.
  public var eventListing: String {
    events.map { e in
      let end = e.start + e.duration
      return
        "\(e.start.fractionText) → \(end.fractionText) | \(tracks[e.track].name) | \(e.instrumentName) \(e.note.displayName) vel:\(formatNumber(e.velocity)) pan:\(formatNumber(e.pan)) @\(e.location)"
    }.joined(separator: "\n")
  }
}

/// Shortest round-tripping text of a number, `1` rather than `1.0`.
public func formatNumber(_ x: Double) -> String {
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  return "\(x)"
}
