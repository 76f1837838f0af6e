/// Reads Standard MIDI Files (formats 0 and 1, ticks-per-quarter division): enough to check what the writer
/// wrote and to inspect files from elsewhere. Running status, SysEx and unknown meta events are handled.
public enum MIDIReader {
  public struct Failure: Error, CustomStringConvertible {
    public var description: String
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

  public static func read(_ bytes: [UInt8]) throws -> MIDIFile {
    var r = ByteReader(bytes: bytes)
    guard try r.take(4) == Array("MThd".utf8) else { throw Failure(description: "not a MIDI file (no MThd)") }
    let headerLength = Int(try r.u32())
    guard headerLength >= 6 else { throw Failure(description: "MThd too short") }
    _ = try r.u16()  // format
    let count = Int(try r.u16())
    let division = try r.u16()
    guard division & 0x8000 == 0 else { throw Failure(description: "SMPTE divisions are not supported") }
    _ = try r.take(headerLength - 6)
    var tracks: [MIDITrack] = []
    for _ in 0..<count {
      guard try r.take(4) == Array("MTrk".utf8) else { throw Failure(description: "expected MTrk") }
      let length = Int(try r.u32())
      var t = ByteReader(bytes: try r.take(length))
      tracks.append(MIDITrack(events: try readTrack(&t)))
    }
    return MIDIFile(ticksPerQuarter: division, tracks: tracks)
  }

  private static func readTrack(_ r: inout ByteReader) throws -> [MIDIEvent] {
    var events: [MIDIEvent] = []
    var tick: Int64 = 0
    var status: UInt8 = 0
    while !r.atEnd {
      tick += Int64(try r.vlq())
      var first = try r.u8()
      if first & 0x80 != 0 {
        status = first
        if status < 0xF0 { first = try r.u8() }
      } else if status == 0 {
        throw Failure(description: "running status without a status byte")
      }
      let channel = status & 0x0F
      switch status & 0xF0 {
      case 0x80: events.append(MIDIEvent(tick: tick, .noteOff(channel: channel, key: first, velocity: try r.u8())))
      case 0x90:
        let v = try r.u8()
        // Note-on with velocity 0 is a note-off.
        events.append(
          MIDIEvent(
            tick: tick,
            v == 0
              ? .noteOff(channel: channel, key: first, velocity: 0) : .noteOn(channel: channel, key: first, velocity: v)
          ))
      case 0xA0: _ = try r.u8()
      case 0xE0:
        let msb = try r.u8()
        events.append(
          MIDIEvent(tick: tick, .pitchBend(channel: channel, value: UInt16(msb & 0x7F) << 7 | UInt16(first & 0x7F))))
      case 0xB0:
        events.append(MIDIEvent(tick: tick, .controlChange(channel: channel, controller: first, value: try r.u8())))
      case 0xC0: events.append(MIDIEvent(tick: tick, .programChange(channel: channel, program: first)))
      case 0xD0: break
      default:
        if status == 0xFF {
          let type = try r.u8()
          let data = try r.take(Int(try r.vlq()))
          switch type {
          case 0x51 where data.count == 3:
            let us = UInt32(data[0]) << 16 | UInt32(data[1]) << 8 | UInt32(data[2])
            events.append(MIDIEvent(tick: tick, .tempo(microsecondsPerQuarter: us)))
          case 0x58 where data.count >= 2:
            events.append(MIDIEvent(tick: tick, .timeSignature(numerator: data[0], denominatorPower: data[1])))
          case 0x01: events.append(MIDIEvent(tick: tick, .text(String(decoding: data, as: UTF8.self))))
          case 0x03: events.append(MIDIEvent(tick: tick, .trackName(String(decoding: data, as: UTF8.self))))
          case 0x2F: return events
          default: break
          }
          status = 0
        } else if status == 0xF0 || status == 0xF7 {
          _ = try r.take(Int(try r.vlq()))
          status = 0
        } else {
          throw Failure(description: "unknown status byte \(status)")
        }
      }
    }
    return events
  }

  /// Pairs note-ons with the next note-off of the same channel and key (first in, first out).
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

/// Big-endian reads with bounds checks.
struct ByteReader {
  let bytes: [UInt8]
  var index = 0
  var atEnd: Bool { index >= bytes.count }

  mutating func u8() throws -> UInt8 {
    guard index < bytes.count else { throw MIDIReader.Failure(description: "unexpected end of data") }
    defer { index += 1 }
    return bytes[index]
  }
  mutating func u16() throws -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }
  mutating func u32() throws -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }
  mutating func take(_ n: Int) throws -> [UInt8] {
    guard n >= 0, index + n <= bytes.count else { throw MIDIReader.Failure(description: "unexpected end of data") }
    defer { index += n }
    return Array(bytes[index..<index + n])
  }
  mutating func vlq() throws -> UInt32 {
    var x: UInt32 = 0
    for _ in 0..<4 {
      let b = try u8()
      x = x << 7 | UInt32(b & 0x7F)
      if b & 0x80 == 0 { return x }
    }
    throw MIDIReader.Failure(description: "variable-length quantity longer than 4 bytes")
  }
}
