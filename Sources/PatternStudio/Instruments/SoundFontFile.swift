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
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
      throw InstrumentFileError(
        file: (path as NSString).lastPathComponent, field: "", message: "cannot be read (\(error.localizedDescription))"
      )
    }
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

  /// The module name of a preset.
  func moduleName(_ p: SoundFont.Preset) -> String {
    p.bank == 0 ? "\(stem)#\(p.program)" : "\(stem)#\(p.bank):\(p.program)"
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

  /// Every preset as an instrument: its descriptor (from the preset table alone) and a patch whose zones are
  /// resolved when a song first plays it (a layered sampler; bank 128 presets are kits whose hits are the
  /// General MIDI percussion names their key range covers).
  func instruments() -> [(name: String, descriptor: InstrumentDescriptor, patch: Patch)] {
    font.presets.map { preset in
      let name = moduleName(preset)
      let bank = SamplerBank(layered: true) { [self] in
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
      let (descriptor, patch) = instrument(preset, bank: bank, name: name)
      return (name, descriptor, patch)
    }
  }

  /// FluidSynth's conventions, the reference player the SF2 tests compare with: the volume envelope spans
  /// 96 dB and sustain levels in dB are scaled to it.
  static let conventions = RegionZones.Conventions(
    envelopeDecibels: 96, sustainScale: 0.96, channelDecibels: -4.2, filterGainCompensation: true)

  private func instrument(_ preset: SoundFont.Preset, bank: SamplerBank, name: String) -> (
    InstrumentDescriptor, Patch
  ) {
    var patch = Patch(
      kind: .sampler(bank), envelope: ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.001),
      gain: 1)
    let keys = preset.keyRange ?? 60...60
    let (low, high) = (keys.lowerBound, keys.upperBound)
    var playable = Playable.pitches(keys)
    if preset.bank == 128 {
      // The General MIDI percussion names (the same table MIDI export uses) whose keys the kit covers.
      let hits = GeneralMIDI.drumKeys.map { (name: $0.hit, key: Int($0.key)) }.filter { keys.contains($0.key) }
      patch.hitKeys = Dictionary(uniqueKeysWithValues: hits.map { ($0.name, $0.key) })
      playable = .hits(hits.map(\.name))
    }
    let range = "\(Pitch.name(ofMIDI: low))–\(Pitch.name(ofMIDI: high))"
    let summary =
      "\(preset.name.isEmpty ? "preset" : preset.name) — SoundFont \(stem).sf2, bank \(preset.bank), program \(preset.program), "
      + (preset.bank == 128 ? "kit" : range)
    return (
      InstrumentDescriptor(
        id: .module(name), summary: summary, playable: playable, midiProgram: preset.program,
        midiBank: preset.bank, expression: .sampler),
      patch
    )
  }
}
