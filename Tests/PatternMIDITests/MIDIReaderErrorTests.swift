import PatternLanguage
import Testing

@testable import PatternMIDI

/// Every kind of broken file is one clear error at its absolute byte offset (never a crash or a hang).
@Suite("MIDI reader: bad files")
struct MIDIReaderErrorTests {
  static let one = SMF.header(tracks: 1)
  static let noteBody = SMF.on(0, 60, 100) + SMF.off(0, 60, delta: 10) + SMF.end  // bytes 22–33

  /// (what is wrong, the file, the limits it is read with).
  static let cases: [(String, [UInt8], MIDIReader.Limits)] = [
    ("empty file", [], .standard),
    ("wrong header id", Array("RIFF".utf8) + Array(one.dropFirst(4)), .standard),
    ("truncated header", Array(one.prefix(11)), .standard),
    ("header too short", Array("MThd".utf8) + SMF.be32(2) + SMF.be16(1), .standard),
    ("format 2", SMF.header(format: 2, tracks: 1) + SMF.track(SMF.end), .standard),
    ("SMPTE division", SMF.header(tracks: 1, division: 0xE728) + SMF.track(SMF.end), .standard),
    ("0 PPQ", SMF.header(tracks: 1, division: 0) + SMF.track(SMF.end), .standard),
    ("format 0, two tracks", SMF.header(format: 0, tracks: 2) + SMF.track(SMF.end), .standard),
    ("wrong chunk id", one + [0, 1, 2, 3] + SMF.be32(4) + SMF.end, .standard),
    ("second MThd", one + SMF.header(tracks: 1), .standard),
    ("length past the end", one + SMF.track(SMF.end, length: 100), .standard),
    ("truncated file", Array((one + SMF.track(noteBody)).prefix(29)), .standard),
    ("file ends inside an event", one + SMF.track(Array(noteBody.prefix(7))), .standard),
    ("chunk length cuts an event", SMF.header(tracks: 2) + SMF.track(noteBody, length: 7), .standard),
    ("running status without a status byte", one + SMF.track([0x00, 0x3C, 0x40] + SMF.end), .standard),
    ("tempo of 0 µs", one + SMF.track(SMF.tempo(0) + SMF.end), .standard),
    ("tempo event of 2 bytes", one + SMF.track([0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1] + SMF.end), .standard),
    (
      "tempo too fast for a pattern", one + SMF.track(SMF.tempo(50_000) + SMF.end), MIDIImport.limits
    ),
    ("VLQ over 4 bytes", one + SMF.track([0x81, 0x81, 0x81, 0x81, 0x00] + SMF.end), .standard),
    ("fewer tracks than the header", SMF.header(tracks: 2) + SMF.track(SMF.end), .standard),
    ("more tracks than the header", one + SMF.track(SMF.end) + SMF.track(SMF.end), .standard),
    ("data byte over 127", one + SMF.track([0x00, 0x90, 0x3C, 0x90] + SMF.end), .standard),
    ("system real-time byte", one + SMF.track([0x00, 0xF8] + SMF.end), .standard),
    ("meta event past its track", one + SMF.track([0x00, 0xFF, 0x01, 0x10, 0x61]), .standard),
    ("more events than the limit", one + SMF.track(noteBody), MIDIReader.Limits(maxEvents: 2)),
    (
      "ticks past the limit", SMF.header(tracks: 1, division: 1) + SMF.track(SMF.vlq(0x0FFF_FFFF) + [0x90, 60, 9]),
      .standard
    ),
  ]

  static let expected = """
    empty file: byte 0: unexpected end of file in the header (4 more bytes needed)
    wrong header id: byte 0: not a MIDI file: expected the chunk id MThd, found "RIFF"
    truncated header: byte 11: unexpected end of file in the header (1 more byte needed)
    header too short: byte 4: the header is 2 bytes long; it needs at least 6
    format 2: byte 8: format 2 (independent sequences) is not supported; only formats 0 and 1
    SMPTE division: byte 12: SMPTE time division (25 frames per second) is not supported; only ticks per quarter note
    0 PPQ: byte 12: 0 ticks per quarter note
    format 0, two tracks: byte 10: a format-0 file has one track; this header declares 2
    wrong chunk id: byte 14: expected a track chunk (MTrk) for track 1, found bytes 00 01 02 03
    second MThd: byte 14: expected a track chunk (MTrk) for track 1, found "MThd"
    length past the end: byte 18: the length of the chunk at byte 14 (100 bytes) runs past the end of the file (4 bytes left)
    truncated file: byte 18: the length of the chunk at byte 14 (12 bytes) runs past the end of the file (7 bytes left)
    file ends inside an event: byte 29: unexpected end of file in track 1 inside the event that starts at byte 27 (1 more byte needed)
    chunk length cuts an event: byte 29: track 1 ends inside the event that starts at byte 27 (its length is too short)
    running status without a status byte: byte 23: running status without a status byte (data byte 0x3C)
    tempo of 0 µs: byte 23: a tempo of 0 µs per quarter note is outside 1 … 60000000 µs (1 … 60000000 BPM)
    tempo event of 2 bytes: byte 23: a tempo event holds 3 bytes; this one holds 2
    tempo too fast for a pattern: byte 23: a tempo of 50000 µs per quarter note (1200 BPM) is outside 60000 … 60000000 µs (1 … 1000 BPM)
    VLQ over 4 bytes: byte 22: variable-length quantity longer than 4 bytes
    fewer tracks than the header: byte 26: the header declares 2 tracks; the file ends after 1
    more tracks than the header: byte 26: a track chunk after the 1 the header declares
    data byte over 127: byte 25: expected a data byte (0 … 127), found 0x90 in the event that starts at byte 23
    system real-time byte: byte 23: status byte 0xF8 is not allowed in a MIDI file
    meta event past its track: byte 27: unexpected end of file in track 1 inside the event that starts at byte 23 (15 more bytes needed)
    more events than the limit: byte 31: more than 2 events
    ticks past the limit: byte 22: an event at tick 268435455 is past the limit of 100000 beats (tick 100000)
    """

  @Test("each kind of bad file gives its message at the exact byte offset")
  func messages() {
    var lines: [String] = []
    for (name, bytes, limits) in Self.cases {
      do {
        _ = try MIDIReader.contents(of: bytes, limits: limits)
        lines.append("\(name): read without an error")
      } catch let failure as MIDIReader.Failure {
        lines.append("\(name): \(failure)")
      } catch {
        lines.append("\(name): unexpected \(error)")
      }
    }
    #expect(lines.joined(separator: "\n") == Self.expected)
  }

  @Test("the importer reports the reader's failure unchanged")
  func importerFailure() {
    let bytes = Self.one + SMF.track([0x00, 0x3C, 0x40] + SMF.end)
    #expect(throws: MIDIReader.Failure(offset: 23, message: "running status without a status byte (data byte 0x3C)")) {
      try MIDIImport.source(from: bytes, catalog: .builtIn, options: .init(sourceName: "bad.mid"))
    }
  }

  @Test("alien chunks are skipped, trailing padding is ignored, running status is read")
  func tolerated() throws {
    let alien = Array("XFIH".utf8) + SMF.be32(2) + [1, 2]
    let runningStatus = [0x00, 0x90, 60, 100, 0x0A, 60, 0, 0x00, 62, 90, 0x0A, 62, 0] + SMF.end
    let bytes = Self.one + alien + SMF.track(runningStatus) + [0, 0, 0]
    let notes = MIDIReader.notes(try MIDIReader.read(bytes))
    #expect(
      notes == [
        .init(track: 0, channel: 0, key: 60, velocity: 100, start: 0, end: 10),
        .init(track: 0, channel: 0, key: 62, velocity: 90, start: 10, end: 20),
      ])
  }

  @Test("every prefix and many corruptions of a valid file end in a value or a Failure, quickly")
  func prefixesAndCorruptions() {
    let valid = MIDIExport.file(for: score(song)).file.encoded()
    let clock = ContinuousClock()
    let started = clock.now
    for cut in 0..<valid.count {
      _ = try? MIDIImport.source(from: Array(valid[..<cut]), catalog: .builtIn, options: .init(sourceName: "cut.mid"))
    }
    for i in 0..<valid.count {
      for value: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
        var bytes = valid
        bytes[i] = value
        _ = try? MIDIImport.source(from: bytes, catalog: .builtIn, options: .init(sourceName: "bad.mid"))
      }
    }
    #expect(clock.now - started < .seconds(30))
  }
}
