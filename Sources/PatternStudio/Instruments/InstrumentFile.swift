import Foundation
import PatternEngine
import PatternLanguage

/// A problem in an instrument file: which file, which field, what was expected.
public struct InstrumentFileError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var field: String
  public var message: String
  public var description: String { "\(file): \(field.isEmpty ? "" : "\(field): ")\(message)" }
}

/// Reads one instrument file (`Instruments/NAME.json`, documented in `docs/INSTRUMENTS.md`) into what the
/// language needs (`InstrumentDescriptor`) and what the engine plays (`Patch`). Every field is checked; an
/// unknown field is an error with a did-you-mean, so a typo never silently falls back to a default.
enum InstrumentFile {
  static let waves = ["sine", "triangle", "saw", "square", "noise"]

  static func load(path: String, module: String) throws -> (InstrumentDescriptor, Patch) {
    let file = (path as NSString).lastPathComponent
    let fail = { (field: String, message: String) in InstrumentFileError(file: file, field: field, message: message) }
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw fail("", "cannot be read (\(error.localizedDescription))")
    }
    let top: Any
    do { top = try JSONSerialization.jsonObject(with: data) } catch {
      throw fail("", "is not valid JSON (\((error as NSError).userInfo["NSDebugDescription"] ?? error))")
    }
    guard let object = top as? [String: Any] else { throw fail("", "expected a JSON object { … } at the top") }
    let names = InstrumentKind.allCases.map(\.rawValue)
    guard let kindName = object["kind"] as? String else {
      throw fail("kind", "expected one of " + names.map { "\"\($0)\"" }.joined(separator: ", "))
    }
    guard let kind = InstrumentKind(rawValue: kindName) else {
      throw fail(
        "kind", "expected one of \(names.joined(separator: ", ")), found \"\(kindName)\"" + didYouMean(kindName, names))
    }
    let allowed = ["kind", "description", "gain", "pan", "program"] + kind.fields
    for key in object.keys.sorted() where !allowed.contains(key) {
      throw fail(
        key, "unknown field for a \(kind)" + didYouMean(key, allowed) + " (fields: \(allowed.joined(separator: ", ")))")
    }
    let description = try optionalString(object, "description", fail)
    let gainDB = try number(object, "gain", in: -48...24, default: 0, unit: "dB", fail)
    let pan = try number(object, "pan", in: -1...1, default: 0, unit: "(-1 left … 1 right)", fail)
    let folder = (path as NSString).deletingLastPathComponent

    // The built-in patch each kind starts from: files change level, pan, range and envelope.
    let base: Patch
    var wave = "piano"
    var program = 0
    switch kind {
    case .synth where object["oscillators"] != nil || object["filter"] != nil:
      guard object["wave"] == nil else { throw fail("wave", "use \"wave\" or \"oscillators\", not both") }
      let definition = try SynthFile.definition(object, fail)
      wave = definition.oscillators.map(\.wave.rawValue).joined(separator: "+")
      // Level: the first wave's built-in level, shared out over the mix so more oscillators are not louder.
      let first = InstrumentID.builtIn(definition.oscillators[0].wave.rawValue)
      let total = definition.oscillators.reduce(0) { $0 + $1.mix }
      base = Patch(
        kind: .synth(definition), envelope: Patch.builtIn[first]!.envelope,
        gain: Patch.builtIn[first]!.gain / max(1, total))
      program = InstrumentCatalog.builtIn.builtin(first.rawValue)?.midiProgram ?? 0
    case .synth:
      wave = try optionalString(object, "wave", fail) ?? "sine"
      guard waves.contains(wave) else {
        throw fail(
          "wave", "expected one of \(waves.joined(separator: ", ")), found \"\(wave)\"" + didYouMean(wave, waves))
      }
      base = Patch.builtIn[.builtIn(wave)]!
      program = InstrumentCatalog.builtIn.builtin(wave)?.midiProgram ?? 0
    case .pluck:
      base = Patch.builtIn[.guitar]!
      program = InstrumentCatalog.builtIn.builtin("guitar")?.midiProgram ?? 0
    case .piano: base = Patch.builtIn[.piano]!
    case .grand:
      base = Patch.builtIn[.grand]!
      wave = "grand"
    case .sampler:
      base = Patch(
        kind: .piano, envelope: ADSR(attackSeconds: 0.002, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.25),
        gain: 0.5)
    case .kit: base = Patch.builtIn[.synth]!
    }
    let programValue = try number(
      object, "program", in: 0...127, default: Double(program), unit: "(a General MIDI program, 0-based)", fail)
    guard programValue == programValue.rounded() else {
      throw fail("program", "expected a whole number 0 … 127 (General MIDI, 0-based: 0 is Acoustic Grand Piano)")
    }
    program = Int(programValue)
    var patch = base
    patch.gain = base.gain * (gainDB == 0 ? 1 : DSPMath.gain(decibels: gainDB))
    patch.pan = pan
    let playable: Playable
    var summary: String
    switch kind {
    case .sampler:
      let zones = try SamplerFile.zones(object["zones"], folder: folder, fail)
      patch.kind = .sampler(SamplerBank(zones: zones))
      patch.envelope = try envelope(object, base.envelope, fail)
      let low = zones.map(\.keys.lowerBound).min()!
      let high = zones.map(\.keys.upperBound).max()!
      playable = .pitches(low...high)
      summary =
        "sampler, \(zones.count) zone\(zones.count == 1 ? "" : "s"), \(Pitch.name(ofMIDI: low))–\(Pitch.name(ofMIDI: high))"
    case .kit:
      let hitNames = try KitFile.hits(object["hits"], folder: folder, into: &patch, fail)
      playable = .hits(hitNames)
      summary = "kit: " + hitNames.joined(separator: ", ")
    case .synth, .pluck, .piano, .grand:
      let range = try pitchRange(object, default: kind.defaultRange, fail)
      patch.envelope = try envelope(object, base.envelope, fail)
      playable = .pitches(range)
      summary =
        "\(kind == .synth ? "synth (\(wave))" : kind.rawValue), \(Pitch.name(ofMIDI: range.lowerBound))–\(Pitch.name(ofMIDI: range.upperBound))"
    }
    if let description { summary = description + " — " + summary }
    return (
      InstrumentDescriptor(
        id: .module(module), summary: summary, playable: playable, midiProgram: program,
        expression: kind == .sampler ? .sampler : kind == .synth ? .synth : []), patch
    )
  }

  static func optionalString(
    _ o: [String: Any], _ key: String, _ fail: (String, String) -> InstrumentFileError
  ) throws -> String? {
    guard let v = o[key] else { return nil }
    guard let s = v as? String else { throw fail(key, "expected a string in double quotes") }
    return s
  }

  static func number(
    _ o: [String: Any], _ key: String, in range: ClosedRange<Double>, default value: Double, unit: String,
    _ fail: (String, String) -> InstrumentFileError
  ) throws -> Double {
    guard let v = o[key] else { return value }
    // JSON true/false arrive as NSNumber too: refuse them explicitly.
    guard let n = v as? NSNumber, String(cString: n.objCType) != "c", range.contains(n.doubleValue) else {
      throw fail(key, "expected a number \(fmt(range.lowerBound)) … \(fmt(range.upperBound)) \(unit), found \(json(v))")
    }
    return n.doubleValue
  }

  /// A JSON whole number that fits an `Int` (not a boolean, a fraction or 1e30), or nil.
  static func wholeNumber(_ v: Any?) -> Int? {
    guard let n = v as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
    let d = n.doubleValue
    guard d == d.rounded(), abs(d) < 9e15 else { return nil }
    return Int(d)
  }

  static func envelope(
    _ o: [String: Any], _ base: ADSR, _ fail: (String, String) -> InstrumentFileError
  ) throws -> ADSR {
    guard let v = o["envelope"] else { return base }
    guard let e = v as? [String: Any] else {
      throw fail("envelope", "expected {\"attack\": s, \"decay\": s, \"sustain\": 0…1, \"release\": s}")
    }
    let keys = ["attack", "decay", "sustain", "release"]
    for key in e.keys.sorted() where !keys.contains(key) {
      throw fail(
        "envelope.\(key)", "unknown field" + didYouMean(key, keys) + " (fields: \(keys.joined(separator: ", ")))")
    }
    let sub = { (field: String, message: String) in fail("envelope.\(field)", message) }
    return ADSR(
      attackSeconds: try number(e, "attack", in: 0...60, default: base.attackSeconds, unit: "seconds", sub),
      decaySeconds: try number(e, "decay", in: 0...60, default: base.decaySeconds, unit: "seconds", sub),
      sustainLevel: try number(e, "sustain", in: 0...1, default: base.sustainLevel, unit: "(a level)", sub),
      releaseSeconds: try number(e, "release", in: 0...60, default: base.releaseSeconds, unit: "seconds", sub))
  }

  private static func pitchRange(
    _ o: [String: Any], default value: ClosedRange<Int>, _ fail: (String, String) -> InstrumentFileError
  ) throws -> ClosedRange<Int> {
    guard let v = o["range"] else { return value }
    guard let pair = v as? [Any], pair.count == 2, let lo = (pair[0] as? String).flatMap(Pitch.midiNumber),
      let hi = (pair[1] as? String).flatMap(Pitch.midiNumber)
    else { throw fail("range", "expected two pitches, lowest and highest, e.g. [\"C2\", \"C6\"], found \(json(v))") }
    guard lo <= hi else { throw fail("range", "the lowest pitch comes first: [\"\(pair[1])\", \"\(pair[0])\"]") }
    return lo...hi
  }

  static func didYouMean(_ word: String, _ options: [String]) -> String {
    Suggestions.hint(for: word, in: options).map { " — \($0)" } ?? ""
  }
  private static func fmt(_ x: Double) -> String { formatNumber(x) }
  static func json(_ v: Any) -> String {
    if let s = v as? String { return "\"\(s)\"" }
    if let d = try? JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed]) {
      return String(decoding: d, as: UTF8.self)
    }
    return "\(v)"
  }
}
