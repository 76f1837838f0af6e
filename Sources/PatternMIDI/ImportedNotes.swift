/// The notes of an imported file, paired and grouped into blocks: one per track with notes, or one per channel
/// with notes for a format-0 file.
///
/// Pairing is `MIDIReader.notes`' rule (a note-off ends the oldest open note of its channel and key in its
/// track), kept in queues with a moving head so a file of a million overlapping notes pairs in linear time.
struct ImportedNotes {
  struct Note {
    var track: Int
    /// The note-on's index among its track's events: the order of notes that start together.
    var order: Int
    var channel: UInt8
    var key: UInt8
    var velocity: UInt8
    var start: Int64
    /// After `start`.
    var end: Int64
    /// The General MIDI program (0 … 127) its channel had at its start.
    var program: Int
    /// Set by `InstrumentChooser`: the instrument it plays and the note as written (`C#4`, `Kick`).
    var instrument = 0
    var written = ""
  }

  struct Block {
    /// `melody`, or `rhythm` when every note is on channel 10.
    var kind: String
    /// What the block came from: `track 2 "Violin" (channel 1)`.
    var origin: String
    /// Indices into `notes`, by start, then file order.
    var notes: [Int]
  }

  var notes: [Note] = []
  var blocks: [Block] = []
  /// Notes whose end the import had to invent: never ended, or ended where they started.
  var altered = 0

  init(_ contents: MIDIReader.Contents, warnings: inout [String]) {
    let programs = ProgramTimeline(contents.file)
    var unended = 0
    var zeroLength = 0
    var queues = [Queue](repeating: Queue(), count: 16 * 128)
    for (t, track) in contents.file.tracks.enumerated() {
      var touched: [Int] = []
      for (order, e) in track.events.enumerated() {
        switch e.kind {
        case .noteOn(let c, let k, let v):
          let id = Int(c) << 7 | Int(k)
          if queues[id].isEmpty { touched.append(id) }
          queues[id].push(notes.count)
          notes.append(
            Note(
              track: t, order: order, channel: c, key: k, velocity: v, start: e.tick, end: e.tick,
              program: programs.program(channel: c, atTick: e.tick)))
        case .noteOff(let c, let k, _):
          if let i = queues[Int(c) << 7 | Int(k)].pop() {
            notes[i].end = e.tick
            if e.tick == notes[i].start {
              notes[i].end += 1
              zeroLength += 1
            }
          }
        default: break
        }
      }
      for id in touched {
        while let i = queues[id].pop() {
          notes[i].end = max(notes[i].start + 1, contents.trackEnds[t])
          unended += 1
        }
        queues[id] = Queue()
      }
    }
    altered = unended + zeroLength
    if unended > 0 {
      warnings.append("\(unended) note\(unended == 1 ? "" : "s") never ended; each lasts to the end of its track")
    }
    if zeroLength > 0 {
      warnings.append(
        "\(zeroLength) note\(zeroLength == 1 ? "" : "s") ended where \(zeroLength == 1 ? "it" : "they") started; "
          + "each lasts one tick")
    }
    groupBlocks(contents)
  }

  private mutating func groupBlocks(_ contents: MIDIReader.Contents) {
    let names = contents.file.tracks.map { track -> String? in
      for e in track.events { if case .trackName(let name) = e.kind, !name.isEmpty { return name } }
      return nil
    }
    // Notes are in track order, and by file order within a track: a stable sort by start keeps the rest.
    let byStart = notes.indices.sorted {
      (notes[$0].track, notes[$0].start, $0) < (notes[$1].track, notes[$1].start, $1)
    }
    var groups: [Int: [Int]] = [:]
    for i in byStart { groups[contents.format == 0 ? Int(notes[i].channel) : notes[i].track, default: []].append(i) }
    for key in groups.keys.sorted() {
      let members = groups[key]!
      let channels = Set(members.map { Int(notes[$0].channel) + 1 }).sorted()
      let channelText =
        (channels.count == 1 ? "channel " : "channels ") + channels.map(String.init).joined(separator: ", ")
      let origin: String
      if contents.format == 0 {
        origin = channelText + (names[0].map { " of \(Self.quoted($0))" } ?? "")
      } else {
        origin = "track \(key + 1)" + (names[key].map { " \(Self.quoted($0))" } ?? "") + " (\(channelText))"
      }
      let kind = channels == [Int(GeneralMIDI.drumChannel) + 1] ? "rhythm" : "melody"
      blocks.append(Block(kind: kind, origin: origin, notes: members))
    }
  }

  /// A name from the file, safe inside a `//` comment: quoted, control characters as spaces, at most 60
  /// characters.
  static func quoted(_ name: String) -> String {
    let clean = String(name.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : Character($0) })
    return "\"" + (clean.count > 60 ? String(clean.prefix(59)) + "…" : clean) + "\""
  }

  /// A first-in-first-out queue of note indices (a moving head, never shifting the array).
  struct Queue {
    private var items: [Int] = []
    private var head = 0
    var isEmpty: Bool { head == items.count }
    mutating func push(_ i: Int) { items.append(i) }
    mutating func pop() -> Int? {
      guard head < items.count else { return nil }
      head += 1
      return items[head - 1]
    }
  }
}
