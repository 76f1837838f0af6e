import Foundation
import PatternEngine
import PatternLanguage
import PatternMIDI
import PatternSamplerFormats
import Synchronization

/// A SoundFont 2 file, memory-mapped and parsed once per process. Its presets become instruments named
/// `STEM#PROGRAM` (bank 0) or `STEM#BANK:PROGRAM`; their sample data is decoded lazily, per sample, from the
/// mapping (a 150 MB font costs only the samples a song plays), and shared by every preset that uses it.
final class SoundFontFile: Sendable {
  let path: String
  let stem: String
  let font: SoundFont
  private let data: Data
  private let buffers = Mutex<[SIMD3<Int>: SampleBuffer]>([:])

  private static let cache = Mutex<[String: (stamp: String, file: SoundFontFile)]>([:])

  /// The font at `path` (cached by path, size and modification time).
  static func open(_ path: String, stamp: String) throws -> SoundFontFile {
    if let hit = cache.withLock({ $0[path] }), hit.stamp == stamp { return hit.file }
    let data = try map(path)
    let font: SoundFont
    do { font = try data.withUnsafeBytes { try SoundFont(bytes: $0) } } catch {
      throw InstrumentFileError(file: (path as NSString).lastPathComponent, field: "", message: "\(error)")
    }
    let file = SoundFontFile(path: path, data: data, font: font)
    cache.withLock { $0[path] = (stamp, file) }
    return file
  }

  private init(path: String, data: Data, font: SoundFont) {
    self.path = path
    self.stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    self.data = data
    self.font = font
  }

  /// The buffer of the sample data `start ..< end` (sample points), decoded on first use.
  func buffer(start: Int, end: Int, sampleRate: Int) -> SampleBuffer {
    // A header's rate is a raw 32-bit field: anything outside audio rates is clamped (a hostile font).
    let rate = max(1_000, min(384_000, sampleRate))
    let key = SIMD3(start, end, rate)
    return buffers.withLock { cache in
      if let hit = cache[key] { return hit }
      let source = SampleSource.fontData(start: start, end: end)
      let buffer = SampleBuffer(sampleRate: rate, count: max(0, end - start), origin: path) {
        [data, font] in try data.withUnsafeBytes { try font.frames(for: source, in: $0) }
      }
      cache[key] = buffer
      return buffer
    }
  }

  /// Every preset of the font at `path` as an instrument, named from the preset headers alone: the font is
  /// parsed (`open`) only when a song imports one of its presets — a descriptor's range or a patch's zones —
  /// so listing a library of large fonts costs almost nothing. A patch's zones are resolved when a song first
  /// plays it (a layered sampler; bank 128 presets are kits whose hits are the General MIDI percussion names
  /// their key range covers).
  static func instruments(path: String, stamp: String) throws -> [(
    name: String, descriptor: InstrumentDescriptor, patch: Patch
  )] {
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    return try listing(path, stamp: stamp).enumerated().map { index, header in
      let name = header.bank == 0 ? "\(stem)#\(header.program)" : "\(stem)#\(header.bank):\(header.program)"
      // The preset in the parsed font: the listing has the full parse's order.
      let parsed = { @Sendable () throws -> (SoundFontFile, SoundFont.Preset) in
        let file = try SoundFontFile.open(path, stamp: stamp)
        guard index < file.font.presets.count else {
          throw InstrumentFileError(
            file: "\(stem).sf2", field: name, message: "the preset is missing from the parsed font")
        }
        return (file, file.font.presets[index])
      }
      let bank = SamplerBank(layered: true) {
        let (file, preset) = try parsed()
        return try file.zones(preset, name: name)
      }
      var patch = Patch(
        kind: .sampler(bank),
        envelope: ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.001), gain: 1)
      // Every General MIDI percussion name's key; the descriptor says which of them the kit covers.
      if header.bank == 128 { patch.hitKeys = Self.percussionKeys }
      let descriptor = InstrumentDescriptor(
        id: .module(name), midiProgram: header.program, midiBank: header.bank, expression: .sampler
      ) {
        do {
          let (file, preset) = try parsed()
          return file.details(preset)
        } catch {
          return ("unreadable — SoundFont \(stem).sf2: \(error)", .pitches(0...127))
        }
      }
      return (name, descriptor, patch)
    }
  }

  /// Every General MIDI percussion name → its key (a kit preset's `hitKeys`).
  private static let percussionKeys = Dictionary(GeneralMIDI.drumKeys.map { ($0.hit, Int($0.key)) }) { a, _ in a }

  /// The preset headers of the font at `path` (cached by path, size and modification time).
  private static func listing(_ path: String, stamp: String) throws -> [SoundFont.Preset] {
    if let hit = listings.withLock({ $0[path] }), hit.stamp == stamp { return hit.presets }
    let data = try map(path)
    let presets: [SoundFont.Preset]
    do { presets = try data.withUnsafeBytes { try SoundFont.presetList(bytes: $0) } } catch {
      throw InstrumentFileError(file: (path as NSString).lastPathComponent, field: "", message: "\(error)")
    }
    listings.withLock { $0[path] = (stamp, presets) }
    return presets
  }

  private static let listings = Mutex<[String: (stamp: String, presets: [SoundFont.Preset])]>([:])

  /// The file's bytes, memory-mapped.
  private static func map(_ path: String) throws -> Data {
    do { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
      throw InstrumentFileError(
        file: (path as NSString).lastPathComponent, field: "", message: "cannot be read (\(error.localizedDescription))"
      )
    }
  }

  /// A preset's zones, their sample data decoded on first use.
  private func zones(_ preset: SoundFont.Preset, name: String) throws -> [SampleZone] {
    do {
      return try font.regions(for: preset).regions.compactMap { r -> SampleZone? in
        guard case .fontData(let start, let end) = r.sample else { return nil }
        return RegionZones.zone(
          r, buffer: buffer(start: start, end: end, sampleRate: r.sampleRate), conventions: Self.conventions)
      }
    } catch {
      throw InstrumentFileError(file: "\(stem).sf2", field: name, message: "\(error)")
    }
  }

  /// FluidSynth's conventions, the reference player the SF2 tests compare with: the volume envelope spans
  /// 96 dB and sustain levels in dB are scaled to it.
  static let conventions = RegionZones.Conventions(
    envelopeDecibels: 96, sustainScale: 0.96, channelDecibels: -4.2, filterGainCompensation: true)

  /// A parsed preset's summary and what it plays (its key range, or the General MIDI percussion names a kit's
  /// range covers).
  private func details(_ preset: SoundFont.Preset) -> (summary: String, playable: Playable) {
    let keys = preset.keyRange ?? 60...60
    let (low, high) = (keys.lowerBound, keys.upperBound)
    var playable = Playable.pitches(keys)
    if preset.bank == 128 {
      playable = .hits(GeneralMIDI.drumKeys.filter { keys.contains(Int($0.key)) }.map(\.hit))
    }
    let range = "\(Pitch.name(ofMIDI: low))–\(Pitch.name(ofMIDI: high))"
    let summary =
      "\(preset.name.isEmpty ? "preset" : preset.name) — SoundFont \(stem).sf2, bank \(preset.bank), program \(preset.program), "
      + (preset.bank == 128 ? "kit" : range)
    return (summary, playable)
  }
}
