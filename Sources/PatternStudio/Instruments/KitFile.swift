import PatternEngine

/// The `hits` of a `kit` instrument file: each hit name plays a synthesised recipe (`"kick"` …) or a sample,
/// with an optional choke group, a place in the stereo field (`"pan"`, −1 … 1) and (for samples) a gain.
enum KitFile {
  static let recipes: [(String, DrumSound)] = [
    ("kick", .kick), ("snare", .snare), ("hihat", .hiHat), ("crash", .crash), ("tom", .tom),
  ]
  static let hitFields = ["recipe", "sample", "choke", "gain", "pan"]

  /// Fills `patch`'s hits, sampled hits and choke groups from `value`; returns the hit names, sorted.
  static func hits(
    _ value: Any?, folder: String, into patch: inout Patch, _ fail: @escaping (String, String) -> InstrumentFileError
  ) throws -> [String] {
    guard let hits = value as? [String: Any], !hits.isEmpty else {
      throw fail("hits", "expected an object of hit names to recipes, e.g. {\"Kick\": \"kick\", \"Snare\": \"snare\"}")
    }
    var map: [String: DrumSound] = [:]
    var zones: [SampleZone] = []
    var buffers: [String: SampleBuffer] = [:]
    var groups: [String: Int] = [:]
    let names = recipes.map(\.0)
    for name in hits.keys.sorted() {
      guard name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      else {
        throw fail("hits.\(name)", "hit names are letters and digits (they are written in songs: kit \(name) 0;)")
      }
      let field = "hits.\(name)"
      let sub = { (f: String, m: String) in fail("\(field).\(f)", m) }
      // "kick", or {"recipe": "kick" | "sample": "file", "choke": "hat", "gain": dB}.
      var spec: [String: Any]
      if let recipe = hits[name] as? String {
        spec = ["recipe": recipe]
      } else if let object = hits[name] as? [String: Any] {
        spec = object
        for key in object.keys.sorted() where !hitFields.contains(key) {
          throw sub(
            key,
            "unknown field" + InstrumentFile.didYouMean(key, hitFields) + " (fields: recipe or sample, choke, gain)")
        }
      } else {
        throw fail(field, "expected a recipe (\(names.joined(separator: ", "))) or {\"sample\": …, \"choke\": …}")
      }
      let gainDB = try InstrumentFile.number(spec, "gain", in: -48...24, default: 0, unit: "dB", sub)
      let pan = try InstrumentFile.number(spec, "pan", in: -1...1, default: 0, unit: "", sub)
      if pan != 0 { patch.hitPans[name] = pan }
      if let sample = spec["sample"] {
        guard spec["recipe"] == nil else { throw fail(field, "expected a recipe or a sample, not both") }
        guard let sample = sample as? String else { throw sub("sample", "expected the sample file's path") }
        let buffer = try SamplerFile.readBuffer(sample, folder: folder, cache: &buffers, sub)
        map[name] = .kick  // never used: the hit plays its sample
        patch.hitZones[name] = zones.count
        zones.append(
          SampleZone(
            keys: 0...127, velocities: 0...1, root: 60, tuneCents: 0,
            gain: gainDB == 0 ? 1 : DSPMath.gain(decibels: gainDB), buffer: buffer, loop: nil, releaseSeconds: 0.005))
      } else {
        let recipe = spec["recipe"] as? String ?? ""
        guard let sound = recipes.first(where: { $0.0 == recipe })?.1 else {
          let location = hits[name] is String ? field : "\(field).recipe"
          throw fail(
            location,
            "expected a recipe: \(names.joined(separator: ", ")), found \"\(recipe)\""
              + InstrumentFile.didYouMean(recipe, names))
        }
        guard gainDB == 0 else { throw sub("gain", "per-hit gain applies to sampled hits; set the kit's \"gain\"") }
        map[name] = sound
      }
      if let choke = spec["choke"] {
        guard let group = choke as? String, !group.isEmpty else {
          throw sub("choke", "expected a group name, e.g. \"hat\"")
        }
        groups[group] = groups[group] ?? groups.count + 1
        patch.chokeGroups[name] = groups[group]
      }
    }
    if !zones.isEmpty { patch.hitSamples = SamplerBank(zones: zones) }
    patch.hits = map.filter { patch.hitZones[$0.key] == nil }
    return map.keys.sorted()
  }
}
