import PatternLanguage

/// Turns a Standard MIDI File into readable pattern source (`pstudio import`): the title, the tempo map and the
/// meters as directives, one `import` per instrument (a General MIDI program's nearest module, pinned to its
/// channel with `channel=`), and one block per MIDI track (per channel for a format-0 file) with every note at
/// its exact time.
///
/// - Times and durations are beats, exact: a tick is `1/PPQ` beat, reduced (`7/4`). `Options.grid` rounds
///   onsets and ends to a grid instead (a note keeps at least one grid step).
/// - Velocities are MIDI velocities: `vel=2` … `vel=127`, and velocity 1 as `vel=1/127` (`vel=1` is full).
/// - Note-ons pair with the next note-off of their channel and key in their track, first in first out, as
///   `MIDIReader.notes` pairs them; a note never ended lasts to its track's end, and a note that ends where it
///   starts lasts one tick (both counted in the warnings).
/// - Channel 10 is percussion: keys with a sound in the kit become its hit names (`Kick`); other keys play on a
///   pitched stand-in on channel 10, so they keep their keys.
/// - Written again with `pstudio midi` (exact resolution), the song gives back the same notes (key, channel,
///   velocity, on and off time) and tempo map, for format 0 and 1 files, unquantized.
public enum MIDIImport {
  /// How to import.
  public struct Options: Hashable, Sendable {
    /// The file's name, for the header comment and as the title when the file has none.
    public var sourceName: String
    /// Onsets and ends are rounded to multiples of this many beats (> 0); nil keeps the exact ticks.
    public var gridBeats: BeatTime?

    public init(sourceName: String, gridBeats: BeatTime? = nil) {
      self.sourceName = sourceName
      self.gridBeats = gridBeats
    }
  }

  /// What an import found and wrote.
  public struct Summary: Hashable, Sendable {
    /// The file's format (0 or 1) and ticks per quarter note.
    public var format: Int
    public var ticksPerQuarter: Int
    /// `MTrk` chunks in the file.
    public var tracks: Int
    /// Blocks written: one per track with notes (per channel with notes in a format-0 file).
    public var blocks: Int
    public var notes: Int
    /// Tempo directives written (the one at beat 0 included), and meter directives.
    public var tempos: Int
    public var meters: Int
    public var instruments: Int
  }

  /// The source text, what it holds, and what could not be carried over exactly.
  public struct Result: Sendable {
    public var source: String
    public var summary: Summary
    public var warnings: [String]
    /// Whether `pstudio midi` of the source gives back exactly the file's notes as `MIDIReader.notes` pairs
    /// them: false when notes were quantized, moved by octaves, lengthened from zero or never ended.
    public var roundTrips: Bool
  }

  /// The reader's limits for imports: at most 1,000,000 events, times up to 100,000 beats (the language's
  /// limit), and only tempi the language can write (1 … 1,000 BPM: 60,000 … 60,000,000 µs per quarter note).
  public static let limits = MIDIReader.Limits(microsecondsPerQuarter: 60_000...60_000_000)

  /// Reads `bytes` and writes pattern source for it; instruments come from `catalog` (its modules).
  /// - Throws: `MIDIReader.Failure` with the byte offset where the file is not a valid MIDI file.
  public static func source(
    from bytes: [UInt8], catalog: InstrumentCatalog, options: Options
  ) throws -> Result {
    let contents = try MIDIReader.contents(of: bytes, limits: limits)
    let ppq = Int64(contents.file.ticksPerQuarter)
    var warnings: [String] = []
    let timeline = ImportTimeline(contents, warnings: &warnings)
    var notes = ImportedNotes(contents, warnings: &warnings)
    let (instruments, moved) = InstrumentChooser(catalog: catalog).choose(for: &notes, warnings: &warnings)
    var writer = PatternSourceWriter(ticksPerQuarter: ppq, grid: options.gridBeats, timeline: timeline)
    writer.header(contents: contents, notes: notes, options: options)
    writer.directives(title: timeline.title ?? stem(options.sourceName))
    writer.imports(instruments)
    writer.instrumentNames = instruments.map(\.name)
    for block in notes.blocks { writer.block(block, notes: notes.notes, contents: contents) }
    let summary = Summary(
      format: contents.format, ticksPerQuarter: Int(ppq), tracks: contents.file.tracks.count,
      blocks: notes.blocks.count, notes: notes.notes.count, tempos: timeline.tempos.count,
      meters: timeline.meters.count, instruments: instruments.count)
    var text = writer.text
    while text.hasSuffix("\n\n") { text.removeLast() }
    let exact = options.gridBeats == nil && notes.altered == 0 && moved == 0
    return Result(source: text, summary: summary, warnings: warnings, roundTrips: exact)
  }

  /// `song` for `path/to/song.mid`.
  static func stem(_ name: String) -> String {
    let base = name.split(separator: "/").last.map(String.init) ?? name
    guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
    return String(base[..<dot])
  }
}
