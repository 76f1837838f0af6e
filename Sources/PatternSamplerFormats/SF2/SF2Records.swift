// The raw `pdta` records (SF2.04 §7), decoded but not yet interpreted.

/// One `phdr` record (38 bytes).
struct PresetHeader: Sendable {
  var name: String
  var program: Int
  var bank: Int
  /// Index of the preset's first zone in `pbag`; its zones run to the next header's index.
  var bagIndex: Int
}

/// One `pbag`/`ibag` record (4 bytes): where a zone's generators and modulators start.
struct ZoneBag: Sendable {
  var genIndex: Int
  var modIndex: Int
}

/// One `pgen`/`igen` record (4 bytes). `amount` is kept raw (16 bits) — signed, unsigned or lo/hi bytes
/// depending on the generator.
struct GenRecord: Sendable {
  var oper: Int
  var amount: UInt16
}

/// One `pmod`/`imod` record (10 bytes). Read and validated; not applied (see `regions(bank:program:)`).
struct ModRecord: Sendable {
  var source: UInt16
  var destination: UInt16
  var amount: Int16
  var amountSource: UInt16
  var transform: UInt16
}

/// One `inst` record (22 bytes).
struct InstrumentHeader: Sendable {
  var name: String
  /// Index of the instrument's first zone in `ibag`.
  var bagIndex: Int
}

/// One `shdr` record (46 bytes): a sample's place in `smpl` and its pitch.
public struct SampleHeader: Hashable, Sendable {
  public var name: String
  /// First sample point, in sample points from the start of `smpl`.
  public var start: Int
  /// One past the last sample point (spec: "the first of the 46 zero points after the sample").
  public var end: Int
  /// First point of the loop, absolute sample points in `smpl`.
  public var loopStart: Int
  /// One past the last point of the loop, absolute sample points in `smpl`.
  public var loopEnd: Int
  /// Hz.
  public var sampleRate: Int
  /// MIDI note of the recording; 255 = unpitched (the reader then uses 60).
  public var originalPitch: Int
  /// Cents, −128 … 127 (applied on top of the tuning generators).
  public var pitchCorrection: Int
  /// Index of the other half of a stereo pair in `shdr`.
  public var sampleLink: Int
  /// 1 mono, 2 right, 4 left, 8 linked; +0x8000 ROM; +0x10 Ogg Vorbis (SF3).
  public var sampleType: Int

  public var isROM: Bool { sampleType & 0x8000 != 0 }
  public var isCompressed: Bool { sampleType & 0x10 != 0 }
  /// −1 for a left sample, +1 for a right sample, 0 otherwise.
  public var stereoSide: Int {
    switch sampleType & 0x7 {
    case 4: return -1
    case 2: return 1
    default: return 0
    }
  }
}
