/// Reads Standard MIDI Files (formats 0 and 1, ticks-per-quarter division): what `pstudio import` turns into
/// pattern source, and what the tests use to check what the writer wrote. Running status, SysEx, unknown meta
/// events and alien chunks (skipped, as the SMF specification asks) are handled.
///
/// A file that is not a valid SMF is a `Failure` naming the absolute byte offset where it goes wrong: a cut-off
/// file, running status with no status byte before it, a tempo of 0 µs or over 60 s a beat, 0 ticks per
/// quarter, an SMPTE division, a wrong chunk id, a length past the end, a variable-length quantity over
/// 4 bytes, more or fewer tracks than the header declares. `Limits` bound the events and ticks, so a hostile
/// file is an error, never a crash, a hang or an exhausted memory.
public enum MIDIReader {
  /// Why a file cannot be read, and where.
  public struct Failure: Error, CustomStringConvertible, Hashable, Sendable {
    /// The absolute offset in the file (0 is the first byte of `MThd`).
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
      self.offset = offset
      self.message = message
    }

    /// `byte 1234: running status without a status byte`.
    public var description: String { "byte \(offset): \(message)" }
  }

  /// What a file may hold before it is refused.
  public struct Limits: Hashable, Sendable {
    /// The most events (channel messages, meta events, SysEx) in the whole file.
    public var maxEvents: Int
    /// The latest event time, in beats (ticks ÷ ticks per quarter).
    public var maxBeats: Int64
    /// Tempo events outside this range are errors, in microseconds per quarter note.
    public var microsecondsPerQuarter: ClosedRange<UInt32>

    /// - Parameters:
    ///   - maxEvents: events in the file, ≥ 0 (default 1,000,000).
    ///   - maxBeats: the latest time in beats (default 100,000, the pattern language's limit on times).
    ///   - microsecondsPerQuarter: allowed tempi (default 1 µs … 60 s per quarter note).
    public init(
      maxEvents: Int = 1_000_000, maxBeats: Int64 = 100_000,
      microsecondsPerQuarter: ClosedRange<UInt32> = 1...60_000_000
    ) {
      self.maxEvents = maxEvents
      self.maxBeats = maxBeats
      self.microsecondsPerQuarter = microsecondsPerQuarter
    }

    public static let standard = Limits()
  }

  /// A file as read: its format, the events, and where each track ends.
  public struct Contents: Hashable, Sendable {
    /// 0 (one track, every channel) or 1 (simultaneous tracks).
    public var format: Int
    public var file: MIDIFile
    /// Per track, the tick of its end-of-track event (or of its last event when it has none).
    public var trackEnds: [Int64]
  }

  /// A note with its on and off ticks.
  public struct Note: Hashable, Sendable {
    public var track: Int
    public var channel: UInt8
    public var key: UInt8
    public var velocity: UInt8
    public var start: Int64
    public var end: Int64
  }

  /// The events of `bytes`. Throws `Failure`.
  public static func read(_ bytes: [UInt8], limits: Limits = .standard) throws -> MIDIFile {
    try contents(of: bytes, limits: limits).file
  }

  /// The format, events and track ends of `bytes`. Throws `Failure`.
  public static func contents(of bytes: [UInt8], limits: Limits = .standard) throws -> Contents {
    var r = ByteReader(bytes: bytes)
    let id = try chunkID(&r)
    guard id == mthd else {
      throw Failure(offset: 0, message: "not a MIDI file: expected the chunk id MThd, found \(describe(id))")
    }
    let headerLength = Int(try r.u32())
    guard headerLength >= 6 else {
      throw Failure(offset: 4, message: "the header is \(headerLength) bytes long; it needs at least 6")
    }
    let format = Int(try r.u16())
    guard format <= 1 else {
      throw Failure(
        offset: 8,
        message: format == 2
          ? "format 2 (independent sequences) is not supported; only formats 0 and 1"
          : "unknown format \(format); Standard MIDI Files are format 0 or 1")
    }
    let count = Int(try r.u16())
    guard count > 0 else { throw Failure(offset: 10, message: "the header declares no tracks") }
    guard format == 1 || count == 1 else {
      throw Failure(offset: 10, message: "a format-0 file has one track; this header declares \(count)")
    }
    let division = try r.u16()
    guard division & 0x8000 == 0 else {
      throw Failure(
        offset: 12,
        message: "SMPTE time division (\(256 - Int(division >> 8)) frames per second) is not supported; only "
          + "ticks per quarter note")
    }
    guard division > 0 else { throw Failure(offset: 12, message: "0 ticks per quarter note") }
    guard headerLength <= bytes.count - 8 else {
      throw Failure(
        offset: 4, message: "the header's length (\(headerLength) bytes) runs past the end of the file")
    }
    try r.skip(headerLength - 6)

    var reading = TrackReading(limits: limits, maxTick: limits.maxBeats * Int64(division))
    var tracks: [MIDITrack] = []
    var ends: [Int64] = []
    var skipped: [String] = []
    while tracks.count < count {
      guard r.index < bytes.count else {
        let also =
          skipped.isEmpty
          ? "" : " (\(skipped.prefix(3).joined(separator: ", ")) \(skipped.count == 1 ? "is" : "are") not a track)"
        throw Failure(
          offset: bytes.count,
          message: "the header declares \(count) tracks; the file ends after \(tracks.count)\(also)")
      }
      let start = r.index
      r.context = "the chunk header of track \(tracks.count + 1)"
      let id = try chunkID(&r)
      // Alien chunks (four printable characters) are skipped, as the SMF specification asks; anything else
      // where a chunk should start is an error.
      guard id == mtrk || (id != mthd && id.allSatisfy({ (0x20...0x7E).contains($0) })) else {
        throw Failure(
          offset: start,
          message: "expected a track chunk (MTrk) for track \(tracks.count + 1), found \(describe(id))")
      }
      let length = Int(try r.u32())
      guard length <= bytes.count - r.index else {
        throw Failure(
          offset: start + 4,
          message: "the length of the chunk at byte \(start) (\(length) bytes) runs past the end of the file "
            + "(\(bytes.count - r.index) bytes left)")
      }
      if id != mtrk {
        skipped.append("the chunk \(describe(id)) at byte \(start)")
        try r.skip(length)
        continue
      }
      r.end = r.index + length
      r.context = "track \(tracks.count + 1)"
      let (events, end) = try reading.track(&r)
      tracks.append(MIDITrack(events: events))
      ends.append(end)
      r.index = r.end
      r.end = bytes.count
    }
    // Past the declared tracks: another track is an error; alien chunks and trailing padding are not.
    while bytes.count - r.index >= 8 {
      let start = r.index
      let id = try chunkID(&r)
      if id == mtrk {
        throw Failure(offset: start, message: "a track chunk after the \(count) the header declares")
      }
      let length = Int(try r.u32())
      guard id.allSatisfy({ (0x20...0x7E).contains($0) }), length <= bytes.count - r.index else { break }
      try r.skip(length)
    }
    return Contents(format: format, file: MIDIFile(ticksPerQuarter: division, tracks: tracks), trackEnds: ends)
  }

  static let mthd = Array("MThd".utf8)
  static let mtrk = Array("MTrk".utf8)

  private static func chunkID(_ r: inout ByteReader) throws -> [UInt8] { Array(try r.take(4)) }

  /// `"MTrx"` for printable ids, else the bytes in hex (`00 FF 12 34`).
  static func describe(_ id: [UInt8]) -> String {
    if id.allSatisfy({ (0x20...0x7E).contains($0) }) { return "\"\(String(decoding: id, as: UTF8.self))\"" }
    return "bytes " + id.map { hex($0) }.joined(separator: " ")
  }

  static func hex(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
  }

  /// Pairs note-ons with the next note-off of the same channel and key in the same track (first in, first out).
  /// A note-on never ended keeps `end == start`.
  public static func notes(_ file: MIDIFile) -> [Note] {
    var notes: [Note] = []
    for (t, track) in file.tracks.enumerated() {
      var open: [UInt16: [Int]] = [:]
      for e in track.events {
        switch e.kind {
        case .noteOn(let c, let k, let v):
          open[UInt16(c) << 8 | UInt16(k), default: []].append(notes.count)
          notes.append(Note(track: t, channel: c, key: k, velocity: v, start: e.tick, end: e.tick))
        case .noteOff(let c, let k, _):
          let id = UInt16(c) << 8 | UInt16(k)
          if var list = open[id], !list.isEmpty {
            notes[list.removeFirst()].end = e.tick
            open[id] = list
          }
        default: break
        }
      }
    }
    return notes
  }
}
