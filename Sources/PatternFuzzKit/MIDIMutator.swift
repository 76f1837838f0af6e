/// Standard MIDI Files for fuzzing the MIDI reader and `pstudio import`: valid files with byte-level mutations
/// aimed at what a reader trusts (chunk lengths, variable-length quantities, status bytes, meta lengths, the
/// header's counts and division), and now and then random bytes. Deterministic: one seed, one file.
public enum MIDIMutator {
  /// A variable-length quantity: 7 bits per byte, most significant first, the high bit on all but the last
  /// (shared with the MIDI tests' hand-made files).
  public static func vlq(_ x: Int) -> [UInt8] {
    var groups = [UInt8(x & 0x7F)]
    var rest = x >> 7
    while rest > 0 {
      groups.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
      rest >>= 7
    }
    return groups
  }

  /// A format-1 file using everything the reader knows: running status, note-on velocity 0 as note-off,
  /// overlapping notes of one key, SysEx, every kept meta event, an alien chunk, pitch bend, aftertouch,
  /// controllers, program changes on two tracks sharing a channel, tempo and meter changes, drums on channel 10.
  public static let handMade: [UInt8] = {
    func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] {
      Array(id.utf8) + [UInt8(body.count >> 24 & 0xFF), UInt8(body.count >> 16 & 0xFF)]
        + [UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)] + body
    }
    let endOfTrack: [UInt8] = [0x00, 0xFF, 0x2F, 0x00]
    let conductor: [UInt8] =
      [0x00, 0xFF, 0x03, 0x04] + Array("Fuzz".utf8) + [0x00, 0xFF, 0x01, 0x0D] + Array("artist: Seeds".utf8)
      + [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 0x03, 0x02, 0x18, 0x08]
      + vlq(1_440) + [0xFF, 0x58, 0x04, 0x07, 0x03, 0x18, 0x08] + vlq(240) + [0xFF, 0x51, 0x03, 0x09, 0x27, 0xC0]
      + [0x00, 0xFF, 0x59, 0x02, 0x00, 0x00] + endOfTrack
    var piano: [UInt8] = [0x00, 0xFF, 0x03, 0x05] + Array("Piano".utf8) + [0x00, 0xC0, 0x00, 0x00, 0xB0, 0x07, 0x64]
    piano += [0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7]
    // Running status: one 0x90, then pairs of key and velocity (velocity 0 ends a note).
    piano += [0x00, 0x90, 60, 100, 0x00, 64, 90, 0x00, 67, 80, 0x83, 0x60, 60, 0, 0x00, 64, 0, 0x00, 67, 0]
    piano += [0x00, 72, 70, 0x60, 72, 60, 0x60, 72, 0, 0x81, 0x40, 72, 0]  // overlapping C5s
    piano += [0x00, 0xE0, 0x00, 0x50, 0x00, 0xA0, 60, 30, 0x00, 0xD0, 20] + endOfTrack
    let second: [UInt8] =
      [0x00, 0xC0, 0x28, 0x10, 0x90, 48, 64, 0x83, 0x60, 0x80, 48, 64, 0x00, 0xF7, 0x02, 0x01, 0x02] + endOfTrack
    let drums: [UInt8] =
      [0x00, 0x99, 36, 110, 0x00, 42, 80, 0x78, 0x89, 36, 0, 0x00, 0x89, 42, 0, 0x00, 0x99, 35, 90, 0x78, 35, 0]
      + endOfTrack
    let header: [UInt8] = Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 4, 0x01, 0xE0]
    return header + chunk("XFIH", [1, 2, 3]) + chunk("MTrk", conductor) + chunk("MTrk", piano)
      + chunk("MTrk", second) + chunk("MTrk", drums)
  }()

  /// One case: random bytes (one in eight, half of them after a plausible header), else one of `bases` with
  /// 1 … 4 mutations.
  public static func file(seed: UInt64, bases: [[UInt8]]) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    if rng.next() % 8 == 0 || bases.isEmpty {
      var bytes = (0..<Int(rng.next() % 600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      if rng.next() % 2 == 0 { bytes = Array(handMade.prefix(22)) + bytes }
      return bytes
    }
    var b = bases[Int(rng.next() % UInt64(bases.count))]
    if rng.next() % 2 == 0 {
      // Half the cases change only data bytes (keys, velocities, deltas, text): most stay valid and reach the
      // importer's pairing, instruments and writer.
      for _ in 0...(rng.next() % 3) {
        let r = rng.next()
        let at = Int((r >> 8) % UInt64(b.count))
        if b[at] < 0x80 { b[at] = UInt8(truncatingIfNeeded: r >> 40) & 0x7F }
      }
      return b
    }
    for _ in 0...(rng.next() % 4) where !b.isEmpty {
      let r = rng.next()
      let at = Int((r >> 8) % UInt64(b.count))
      switch r % 10 {
      case 0: b[at] = UInt8(truncatingIfNeeded: r >> 40)
      case 1:
        // A data byte stays a data byte (another key, velocity, delta or length): the file often stays valid.
        b[at] = b[at] < 0x80 ? UInt8(truncatingIfNeeded: r >> 40) & 0x7F : b[at]
      case 2: b[at] ^= 1 << UInt8((r >> 4) % 8)
      case 3:
        // A status or data boundary value.
        b[at] = [0x00, 0x7F, 0x80, 0x90, 0xF0, 0xF7, 0xFF, 0x2F, 0x51][Int((r >> 40) % 9)]
      case 4:
        // A long or maximal variable-length quantity.
        let vlq: [[UInt8]] = [
          [0xFF, 0xFF, 0xFF, 0x7F], [0x81, 0x81, 0x81, 0x81, 0x00], [0x8F, 0xFF, 0xFF, 0xFF, 0x7F],
        ]
        b.insert(contentsOf: vlq[Int((r >> 40) % 3)], at: at)
      case 5:
        // A chunk length or a header field: four bytes after a chunk id.
        let ids = chunkIDs(b)
        if !ids.isEmpty {
          let id = ids[Int((r >> 12) % UInt64(ids.count))]
          let value: UInt32 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, UInt32(truncatingIfNeeded: r >> 32)][Int((r >> 4) % 5)]
          for i in 0..<4 where id + 4 + i < b.count { b[id + 4 + i] = UInt8(value >> (24 - 8 * UInt32(i)) & 0xFF) }
        }
      case 6: b.removeLast(Int((r >> 16) % UInt64(b.count)))
      case 7: b.removeSubrange(at..<min(b.count, at + 1 + Int((r >> 40) % 16)))
      case 8:
        // Repeat a piece: many events, many tracks' worth of bytes.
        let piece = Array(b[at..<min(b.count, at + 1 + Int((r >> 40) % 64))])
        for _ in 0..<Int((r >> 20) % 64) { b.insert(contentsOf: piece, at: at) }
      default:
        // The header's format, track count or division.
        if b.count >= 14 {
          let field = [8, 10, 12][Int((r >> 4) % 3)]
          let value: UInt16 = [0, 1, 2, 3, 0x7FFF, 0x8000, 0xE728, 0xFFFF][Int((r >> 40) % 8)]
          (b[field], b[field + 1]) = (UInt8(value >> 8), UInt8(value & 0xFF))
        }
      }
    }
    return b
  }

  /// Offsets of `MThd` and `MTrk` ids.
  static func chunkIDs(_ b: [UInt8]) -> [Int] {
    guard b.count >= 4 else { return [] }
    return (0...(b.count - 4)).filter { i in
      b[i] == 0x4D
        && ((b[i + 1] == 0x54 && b[i + 2] == 0x68 && b[i + 3] == 0x64)
          || (b[i + 1] == 0x54 && b[i + 2] == 0x72 && b[i + 3] == 0x6B))
    }
  }
}
