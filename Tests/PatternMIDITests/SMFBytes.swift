import PatternFuzzKit

/// Hand-made Standard MIDI File bytes for the reader's and the importer's tests: every byte is visible, so a
/// test can say at which offset a file goes wrong. A header is 14 bytes; the first track's chunk header is
/// bytes 14–21 and its events start at byte 22.
enum SMF {
  static func be16(_ x: Int) -> [UInt8] { [UInt8(x >> 8 & 0xFF), UInt8(x & 0xFF)] }
  static func be32(_ x: Int) -> [UInt8] { [UInt8(x >> 24 & 0xFF), UInt8(x >> 16 & 0xFF)] + be16(x) }

  /// `MThd`, length 6, format, track count, division.
  static func header(format: Int = 1, tracks: Int, division: Int = 480) -> [UInt8] {
    Array("MThd".utf8) + be32(6) + be16(format) + be16(tracks) + be16(division)
  }

  /// An `MTrk` chunk around `body` (its length is the body's unless given).
  static func track(_ body: [UInt8], length: Int? = nil) -> [UInt8] {
    Array("MTrk".utf8) + be32(length ?? body.count) + body
  }

  /// A variable-length quantity.
  static func vlq(_ x: Int) -> [UInt8] { MIDIMutator.vlq(x) }

  /// Delta 0, end of track.
  static let end: [UInt8] = [0x00, 0xFF, 0x2F, 0x00]

  /// A set-tempo meta event after `delta` ticks.
  static func tempo(_ microseconds: Int, delta: Int = 0) -> [UInt8] {
    vlq(delta) + [
      0xFF, 0x51, 0x03, UInt8(microseconds >> 16 & 0xFF), UInt8(microseconds >> 8 & 0xFF),
      UInt8(microseconds & 0xFF),
    ]
  }

  /// A time signature N/2^power after `delta` ticks.
  static func meter(_ numerator: Int, _ power: Int, delta: Int = 0) -> [UInt8] {
    vlq(delta) + [0xFF, 0x58, 0x04, UInt8(numerator), UInt8(power), 24, 8]
  }

  /// A track-name meta event at delta 0.
  static func name(_ text: String) -> [UInt8] { [0x00, 0xFF, 0x03] + vlq(text.utf8.count) + Array(text.utf8) }

  /// Note on and off (full status bytes), `delta` ticks after the previous event.
  static func on(_ channel: Int, _ key: Int, _ velocity: Int, delta: Int = 0) -> [UInt8] {
    vlq(delta) + [0x90 | UInt8(channel), UInt8(key), UInt8(velocity)]
  }
  static func off(_ channel: Int, _ key: Int, delta: Int = 0) -> [UInt8] {
    vlq(delta) + [0x80 | UInt8(channel), UInt8(key), 64]
  }
  static func program(_ channel: Int, _ program: Int, delta: Int = 0) -> [UInt8] {
    vlq(delta) + [0xC0 | UInt8(channel), UInt8(program)]
  }
}
