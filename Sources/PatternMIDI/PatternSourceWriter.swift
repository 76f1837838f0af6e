import PatternLanguage

/// Writes the pattern source of an import: a header comment, the directives (title, tempo map, meters), one
/// `import` per instrument, then the blocks, each note one statement in time order with `// bar N` where a bar
/// begins.
struct PatternSourceWriter {
  let ticksPerQuarter: Int64
  /// Onsets and ends round to multiples of this (beats); nil: exact.
  let grid: BeatTime?
  let timeline: ImportTimeline
  private(set) var text = ""

  init(ticksPerQuarter: Int64, grid: BeatTime?, timeline: ImportTimeline) {
    self.ticksPerQuarter = ticksPerQuarter
    self.grid = grid
    self.timeline = timeline
  }

  private mutating func line(_ s: String = "") { text += s + "\n" }

  mutating func header(contents: MIDIReader.Contents, notes: ImportedNotes, options: MIDIImport.Options) {
    let source = ImportedNotes.quoted(options.sourceName.split(separator: "/").last.map(String.init) ?? "")
    let tracks = contents.file.tracks.count
    line("// Imported by `pstudio import` from \(source): a format-\(contents.format) Standard MIDI File,")
    line(
      "// \(ticksPerQuarter) ticks per quarter note, \(tracks) track\(tracks == 1 ? "" : "s"), "
        + "\(notes.notes.count) note\(notes.notes.count == 1 ? "" : "s").")
    if let grid {
      line("// Onsets and durations are quantized to multiples of \(grid) beat (a beat is a quarter note).")
    } else {
      line("// Times and durations are exact beats (quarter notes): a tick is 1/\(ticksPerQuarter) beat.")
    }
    line("// vel= is the MIDI velocity (vel=1/127 is velocity 1: a plain vel=1 would be full velocity), and")
    line("// channel= keeps each instrument on its MIDI channel when `pstudio midi` writes the song again.")
    line()
  }

  mutating func directives(title: String) {
    line("title \(Self.string(title));")
    if let artist = timeline.artist { line("artist \(Self.string(artist));") }
    for t in timeline.tempos {
      let (bpm, approximate) = Self.beatsPerMinute(t.microsecondsPerQuarter)
      let at = t.tick == 0 ? "" : " at \(beat(t.tick))"
      line("tempo \(bpm)\(at);" + (approximate.map { "  // ≈ \($0) BPM" } ?? ""))
    }
    for m in timeline.meters {
      line("meter \(m.meter)" + (m.tick == 0 ? "" : " at \(m.bar):1") + ";")
    }
    line()
  }

  mutating func imports(_ instruments: [InstrumentChooser.Instrument]) {
    for i in instruments.sorted(by: { ($0.channel, $0.name) < ($1.channel, $1.name) }) {
      line("import \(i.name) from \(Self.string(i.module)) channel=\(i.channel);  // \(i.comment)")
    }
    if !instruments.isEmpty { line() }
  }

  mutating func block(_ block: ImportedNotes.Block, notes: [ImportedNotes.Note], contents: MIDIReader.Contents) {
    let count = block.notes.count
    line("// \(block.origin.prefix(1).uppercased() + block.origin.dropFirst()): \(count) note\(count == 1 ? "" : "s")")
    line("\(block.kind) {")
    var lastBar = 0
    // With a grid, notes are placed by their rounded onsets (a stable sort keeps file order among equals).
    let placed = block.notes.map { i -> (start: BeatTime, end: BeatTime, note: Int) in
      let n = notes[i]
      var (s, e) = (beat(n.start), beat(n.end))
      if let grid {
        s = Self.round(s, to: grid)
        e = max(s + grid, Self.round(e, to: grid))
      }
      return (s, e, i)
    }
    let ordered =
      grid == nil
      ? placed
      : placed.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
    for (start, end, i) in ordered {
      let n = notes[i]
      let bar = timeline.bar(atTick: Self.ticks(start, ticksPerQuarter))
      if bar != lastBar {
        line("  // bar \(bar)")
        lastBar = bar
      }
      let velocity = n.velocity == 1 ? "1/127" : "\(n.velocity)"
      line("  \(instrumentNames[n.instrument]) \(n.written) \(start) dur=\(end - start) vel=\(velocity);")
    }
    line("}")
    line()
  }

  /// Local names by instrument index (set by `MIDIImport` before the blocks are written).
  var instrumentNames: [String] = []

  func beat(_ tick: Int64) -> BeatTime { BeatTime(tick, ticksPerQuarter) }

  /// The tick at or before `beat` (for bar numbers of quantized onsets).
  static func ticks(_ beat: BeatTime, _ ppq: Int64) -> Int64 { (beat * BeatTime(ppq)).floor.numerator }

  /// `beat` rounded to the nearest multiple of `grid`, halves up.
  static func round(_ beat: BeatTime, to grid: BeatTime) -> BeatTime {
    ((beat / grid) + BeatTime(1, 2)).floor * grid
  }

  /// The tempo of `us` µs per quarter note in BPM as the language reads it exactly: an integer, a decimal with
  /// at most six places, or a fraction (then with a rounded value for the reader).
  static func beatsPerMinute(_ us: UInt32) -> (text: String, approximate: String?) {
    let bpm = BeatTime(60_000_000, Int64(us))
    if bpm.denominator == 1 { return ("\(bpm.numerator)", nil) }
    for places in 1...6 {
      let scale = Int64([1, 10, 100, 1_000, 10_000, 100_000, 1_000_000][places])
      let scaled = bpm * BeatTime(scale)
      if scaled.denominator == 1 {
        let whole = scaled.numerator / scale
        let fraction = String(scaled.numerator % scale)
        return ("\(whole)." + String(repeating: "0", count: places - fraction.count) + fraction, nil)
      }
    }
    let hundredths = (bpm * BeatTime(100) + BeatTime(1, 2)).floor.numerator
    let cents = hundredths % 100
    return (bpm.description, "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)")
  }

  /// A string literal: quotes and backslashes escaped, line breaks and tabs as `\n` `\t`, other control
  /// characters as spaces, at most 200 characters.
  static func string(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars.prefix(200) {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.unicodeScalars.append(c.value < 32 || c.value == 127 ? " " : c)
      }
    }
    return "\"" + out + "\""
  }
}
