import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage
import PatternSamplerFormats

/// An SFZ instrument (`NAME.sfz`, or a folder `NAME/` holding one `.sfz`) as a layered sampler. Samples are
/// read through libsndfile (decoded on first use); loops and root keys the file leaves out come from the
/// WAV's `smpl` chunk, as sfizz does. Reader warnings (unknown opcodes…) are kept, located, for the songs
/// that import the instrument.
enum SFZFile {
  /// sfizz's conventions: decay and release fall e⁻⁹ (78.17 dB) in their nominal time; sustain as written.
  static let conventions = RegionZones.Conventions(
    envelopeDecibels: SFZEnvelopeConvention.exponentialSpanDb, sustainScale: 1)

  static func load(path: String, module: String) throws -> (InstrumentDescriptor, Patch, warnings: [String]) {
    let file = (path as NSString).lastPathComponent
    let instrument: SFZInstrument
    do { instrument = try SFZInstrument.load(path: path) } catch {
      throw InstrumentFileError(file: file, field: "", message: "cannot be read (\(error))")
    }
    var warnings = instrument.warnings.map { w in
      "\((w.file as NSString).lastPathComponent):\(w.line):\(w.column): \(w.message)"
    }
    var cache: [String: SampleBuffer] = [:]
    var read: [String: (SampleBuffer, AudioFileInfo)] = [:]
    var zones: [SampleZone] = []
    for var r in instrument.regions {
      guard case .file(let samplePath) = r.sample else { continue }
      let (real, problem) = FileCheck.regularFile(samplePath, inside: "/")
      guard let real else {
        warnings.append("\(file): sample \(samplePath): \(problem ?? "cannot be read"); its region is left out")
        continue
      }
      let fail = { (field: String, message: String) in InstrumentFileError(file: file, field: field, message: message) }
      // One buffer per sample file, however many regions play it.
      let (buffer, info): (SampleBuffer, AudioFileInfo)
      if let known = read[real] {
        (buffer, info) = known
      } else {
        do { (buffer, info) = try SamplerFile.buffer(path: real, display: samplePath, cache: &cache, fail) } catch {
          warnings.append("\(error); its region is left out")
          continue
        }
        read[real] = (buffer, info)
      }
      r.sampleRate = info.sampleRate
      if r.rootKeyFromSample { r.rootKey = info.rootKey ?? 60 }
      // What the file leaves out of the loop comes from the sample's own loop (sfizz's rule).
      if let loop = info.loop {
        if !r.loopModeExplicit { r.loopMode = .continuous }
        if !r.loopStartExplicit { r.loopStart = loop.lowerBound }
        if !r.loopEndExplicit { r.loopEnd = loop.upperBound }
      } else if !r.loopEndExplicit {
        r.loopEnd = buffer.count
      }
      // sfizz plays envelope times above 0 but under 6 ms as 6 ms.
      for keyPath in [\EnvelopeSpec.attack, \.decay, \.release] where r.ampEnv[keyPath: keyPath] > 0 {
        r.ampEnv[keyPath: keyPath] = max(0.006, r.ampEnv[keyPath: keyPath])
      }
      zones.append(RegionZones.zone(r, buffer: buffer, conventions: conventions))
    }
    guard !zones.isEmpty else {
      throw InstrumentFileError(
        file: file, field: "", message: "has no region that can sound" + (warnings.first.map { " (\($0))" } ?? ""))
    }
    let patch = Patch(
      kind: .sampler(SamplerBank(zones: zones, layered: true)),
      envelope: ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.001), gain: 1)
    let low = zones.map(\.keys.lowerBound).min()!
    let high = max(low, zones.map(\.keys.upperBound).max()!)
    let summary =
      "SFZ \(file), \(zones.count) region\(zones.count == 1 ? "" : "s"), "
      + "\(Pitch.name(ofMIDI: low))–\(Pitch.name(ofMIDI: high))"
    let descriptor = InstrumentDescriptor(
      id: .module(module), summary: summary, playable: .pitches(low...high), expression: .sampler)
    return (descriptor, patch, warnings)
  }
}
