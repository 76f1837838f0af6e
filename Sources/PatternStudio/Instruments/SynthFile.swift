import PatternEngine

/// The `oscillators` and `filter` of a `synth` instrument file.
enum SynthFile {
  static let waves: [Waveform] = [.sine, .triangle, .saw, .square]

  static func definition(
    _ object: [String: Any], _ fail: @escaping (String, String) -> InstrumentFileError
  ) throws -> SynthDefinition {
    var oscillators: [SynthOscillator] = []
    if let value = object["oscillators"] {
      guard let list = value as? [Any], (1...4).contains(list.count) else {
        throw fail(
          "oscillators", "expected 1 … 4 oscillators, e.g. [{\"wave\": \"saw\"}, {\"wave\": \"saw\", \"detune\": 7}]")
      }
      let fields = ["wave", "detune", "octave", "mix"]
      for (i, item) in list.enumerated() {
        let sub = { (f: String, m: String) in fail("oscillators[\(i)].\(f)", m) }
        guard let o = item as? [String: Any] else { throw fail("oscillators[\(i)]", "expected {\"wave\": …}") }
        for key in o.keys.sorted() where !fields.contains(key) {
          throw sub(
            key,
            "unknown field" + InstrumentFile.didYouMean(key, fields) + " (fields: \(fields.joined(separator: ", ")))")
        }
        let names = waves.map(\.rawValue)
        guard let w = o["wave"] as? String, let wave = Waveform(rawValue: w) else {
          throw sub(
            "wave",
            "expected one of \(names.joined(separator: ", "))"
              + InstrumentFile.didYouMean(o["wave"] as? String ?? "", names))
        }
        oscillators.append(
          SynthOscillator(
            wave: wave,
            detuneCents: try InstrumentFile.number(o, "detune", in: -1200...1200, default: 0, unit: "cents", sub),
            octave: Int(try InstrumentFile.number(o, "octave", in: -3...3, default: 0, unit: "octaves", sub)),
            mix: try InstrumentFile.number(o, "mix", in: 0...1, default: 1, unit: "(a level)", sub)))
      }
    } else {
      oscillators = [SynthOscillator(wave: .saw)]
    }
    var filter: SynthFilter?
    if let value = object["filter"] {
      guard let f = value as? [String: Any] else {
        throw fail("filter", "expected {\"cutoff\": Hz, \"resonance\": q, \"amount\": octaves, \"envelope\": {…}}")
      }
      let fields = ["cutoff", "resonance", "amount", "keytrack", "envelope"]
      for key in f.keys.sorted() where !fields.contains(key) {
        throw fail(
          "filter.\(key)",
          "unknown field" + InstrumentFile.didYouMean(key, fields) + " (fields: \(fields.joined(separator: ", ")))")
      }
      let sub = { (k: String, m: String) in fail("filter.\(k)", m) }
      let envelope = try InstrumentFile.envelope(
        f, ADSR(attackSeconds: 0.005, decaySeconds: 0.3, sustainLevel: 0, releaseSeconds: 0.2), sub)
      filter = SynthFilter(
        cutoffHz: try InstrumentFile.number(f, "cutoff", in: 20...20_000, default: 800, unit: "Hz", sub),
        resonance: try InstrumentFile.number(f, "resonance", in: 0.5...20, default: 0.7, unit: "(Q)", sub),
        envelopeOctaves: try InstrumentFile.number(f, "amount", in: -8...8, default: 2, unit: "octaves", sub),
        keyTracking: try InstrumentFile.number(f, "keytrack", in: 0...1, default: 0.5, unit: "(0 none … 1 full)", sub),
        envelope: envelope)
    }
    return SynthDefinition(oscillators: oscillators, filter: filter)
  }
}
