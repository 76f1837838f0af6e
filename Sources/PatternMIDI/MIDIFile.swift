/// A Standard MIDI File in memory: format 1, a division in ticks per quarter note, tracks of timed events.
public struct MIDIFile: Hashable, Sendable {
  public var ticksPerQuarter: UInt16
  public var tracks: [MIDITrack]

  public init(ticksPerQuarter: UInt16, tracks: [MIDITrack]) {
    self.ticksPerQuarter = ticksPerQuarter
    self.tracks = tracks
  }
}

public struct MIDITrack: Hashable, Sendable {
  /// Sorted by tick (the writer keeps the order of equal ticks).
  public var events: [MIDIEvent]
  public init(events: [MIDIEvent]) { self.events = events }
}

/// One event at an absolute tick.
public struct MIDIEvent: Hashable, Sendable {
  public var tick: Int64
  public var kind: Kind

  public enum Kind: Hashable, Sendable {
    case noteOn(channel: UInt8, key: UInt8, velocity: UInt8)
    case noteOff(channel: UInt8, key: UInt8, velocity: UInt8)
    case programChange(channel: UInt8, program: UInt8)
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    /// 14-bit pitch bend, 8192 = none.
    case pitchBend(channel: UInt8, value: UInt16)
    /// Microseconds per quarter note (meta 0x51).
    case tempo(microsecondsPerQuarter: UInt32)
    /// Meta 0x58: numerator, denominator as a power of two.
    case timeSignature(numerator: UInt8, denominatorPower: UInt8)
    /// Meta 0x01 text, 0x03 track name.
    case text(String)
    case trackName(String)
  }

  public init(tick: Int64, _ kind: Kind) {
    self.tick = tick
    self.kind = kind
  }
}

extension MIDIFile {
  /// The file's bytes: `MThd` (format 1) then one `MTrk` per track, delta times as variable-length quantities,
  /// running status never used (every reader handles full status bytes), each track ended by meta 0x2F.
  public func encoded() -> [UInt8] {
    var out: [UInt8] = Array("MThd".utf8)
    out += be32(6) + be16(1) + be16(UInt16(tracks.count)) + be16(ticksPerQuarter)
    for track in tracks {
      var body: [UInt8] = []
      var last: Int64 = 0
      for e in track.events {
        body += vlq(UInt32(clamping: max(0, e.tick - last)))
        last = max(last, e.tick)
        body += bytes(e.kind)
      }
      body += [0x00, 0xFF, 0x2F, 0x00]
      out += Array("MTrk".utf8) + be32(UInt32(body.count)) + body
    }
    return out
  }

  private func bytes(_ kind: MIDIEvent.Kind) -> [UInt8] {
    switch kind {
    case .noteOn(let c, let k, let v): return [0x90 | c, k, v]
    case .noteOff(let c, let k, let v): return [0x80 | c, k, v]
    case .programChange(let c, let p): return [0xC0 | c, p]
    case .controlChange(let c, let n, let v): return [0xB0 | c, n, v]
    case .pitchBend(let c, let v): return [0xE0 | c, UInt8(v & 0x7F), UInt8(v >> 7 & 0x7F)]
    case .tempo(let us): return [0xFF, 0x51, 0x03, UInt8(us >> 16 & 0xFF), UInt8(us >> 8 & 0xFF), UInt8(us & 0xFF)]
    case .timeSignature(let n, let d): return [0xFF, 0x58, 0x04, n, d, 24, 8]
    case .text(let s): return meta(0x01, Array(s.utf8))
    case .trackName(let s): return meta(0x03, Array(s.utf8))
    }
  }

  private func meta(_ type: UInt8, _ data: [UInt8]) -> [UInt8] { [0xFF, type] + vlq(UInt32(data.count)) + data }
  private func be32(_ x: UInt32) -> [UInt8] {
    [UInt8(x >> 24), UInt8(x >> 16 & 0xFF), UInt8(x >> 8 & 0xFF), UInt8(x & 0xFF)]
  }
  private func be16(_ x: UInt16) -> [UInt8] { [UInt8(x >> 8), UInt8(x & 0xFF)] }

  /// A variable-length quantity: 7 bits per byte, most significant first, high bit set on all but the last.
  func vlq(_ x: UInt32) -> [UInt8] {
    var groups: [UInt8] = [UInt8(x & 0x7F)]
    var rest = x >> 7
    while rest > 0 {
      groups.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
      rest >>= 7
    }
    return groups
  }
}
