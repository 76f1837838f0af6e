import PatternLanguage

/// Chooses a module of the catalog for each channel and program of an imported file, names it after the module
/// and the channel (`piano1`, `bass2`, `drums10`), and spells every note for it (`C#4`, `Kick`).
///
/// A pitched program takes the first of `GeneralMIDI.modules(forProgram:)` that exists and plays every note the
/// program plays on that channel (the waveforms, C0–C9, end every list); notes no module reaches move by
/// octaves, with a warning. Channel 10 plays the first kit of `GeneralMIDI.kitModules`: each key becomes the
/// kit's sound of that General MIDI name, and keys the kit has no sound for play on a pitched stand-in pinned to
/// channel 10 (`perc10`), so they keep their keys.
struct InstrumentChooser {
  let catalog: InstrumentCatalog

  struct Instrument: Hashable {
    /// The local name the source imports it as.
    var name: String
    var module: String
    /// 1 … 16.
    var channel: Int
    /// What it plays, for the import line's comment.
    var comment: String
  }

  /// The instruments (notes refer to them by index), and how many notes moved by octaves.
  func choose(for notes: inout ImportedNotes, warnings: inout [String]) -> (instruments: [Instrument], moved: Int) {
    var instruments: [Instrument] = []
    var index: [String: Int] = [:]  // "channel/module" → instrument
    func instrument(channel: Int, module: String, word: String, comment: String) -> Int {
      let id = "\(channel)/\(module)"
      if let i = index[id] {
        if !instruments[i].comment.contains(comment) { instruments[i].comment += "; " + comment }
        return i
      }
      var name = "\(word)\(channel)"
      var n = 2
      while instruments.contains(where: { $0.name == name }) {
        name = "\(word)\(channel)_\(n)"
        n += 1
      }
      instruments.append(Instrument(name: name, module: module, channel: channel, comment: comment))
      index[id] = instruments.count - 1
      return instruments.count - 1
    }

    // Pitched notes, by channel and program.
    var groups: [Int: [Int]] = [:]
    var drums: [Int] = []
    for (i, n) in notes.notes.enumerated() {
      if n.channel == GeneralMIDI.drumChannel {
        drums.append(i)
      } else {
        groups[Int(n.channel) << 7 | n.program, default: []].append(i)
      }
    }
    var moved = 0
    for key in groups.keys.sorted() {
      let members = groups[key]!
      let (channel, program) = (key >> 7, key & 127)
      let keys = members.map { Int(notes.notes[$0].key) }
      let (module, range) = pitched(GeneralMIDI.modules(forProgram: program), lowest: keys.min()!, highest: keys.max()!)
      let i = instrument(
        channel: channel + 1, module: module, word: word(module),
        comment: "GM program \(program), \(GeneralMIDI.programNames[program])")
      for m in members {
        let (spelled, shifted) = fold(Int(notes.notes[m].key), into: range)
        if shifted { moved += 1 }
        notes.notes[m].instrument = i
        notes.notes[m].written = Pitch.name(ofMIDI: spelled)
      }
    }

    // Channel 10: the kit's sounds by GM name, the stand-in for the rest.
    let kit = GeneralMIDI.kitModules.first { name in
      if case .hits = catalog.module(name)?.playable { return true }
      return false
    }
    var lacking: [Int: Int] = [:]  // key → notes on the stand-in
    for m in drums {
      let key = notes.notes[m].key
      if let kit, let descriptor = catalog.module(kit),
        let hit = GeneralMIDI.drumNames(forKey: key).lazy.compactMap({ descriptor.canonicalHit($0) }).first
      {
        notes.notes[m].instrument = instrument(
          channel: 10, module: kit, word: "drums", comment: "General MIDI percussion")
        notes.notes[m].written = hit
        continue
      }
      let (module, range) = pitched(GeneralMIDI.percussionStandIn, lowest: Int(key), highest: Int(key))
      notes.notes[m].instrument = instrument(
        channel: 10, module: module, word: "perc",
        comment: "percussion keys \(kit.map { "the kit \"\($0)\"" } ?? "a kit") has no sound for, at their keys")
      let (spelled, shifted) = fold(Int(key), into: range)
      if shifted { moved += 1 }
      notes.notes[m].written = Pitch.name(ofMIDI: spelled)
      lacking[Int(key), default: 0] += 1
    }
    if !lacking.isEmpty {
      let list = lacking.keys.sorted().map { key in
        let name = GeneralMIDI.drumNames(forKey: UInt8(key)).first.map { " \($0)" } ?? ""
        return "\(key)\(name) ×\(lacking[key]!)"
      }
      let count = lacking.values.reduce(0, +)
      warnings.append(
        "\(count) note\(count == 1 ? "" : "s") on channel 10 \(count == 1 ? "uses a key" : "use keys") "
          + "\(kit.map { "the kit \"\($0)\"" } ?? "no kit") has no sound for (\(list.prefix(8).joined(separator: ", "))"
          + "\(list.count > 8 ? ", …" : "")): played by a pitched stand-in on channel 10 that keeps the keys")
    }
    if moved > 0 {
      warnings.append(
        "\(moved) note\(moved == 1 ? " is" : "s are") outside every instrument's range (C0–C9) and moved by octaves")
    }
    return (instruments, moved)
  }

  /// The first of `modules` that is pitched and plays `lowest … highest`, else the widest pitched one.
  func pitched(_ modules: [String], lowest: Int, highest: Int) -> (module: String, range: ClosedRange<Int>) {
    var widest: (module: String, range: ClosedRange<Int>)?
    for name in modules {
      guard case .pitches(let range) = catalog.module(name)?.playable else { continue }
      if range.contains(lowest) && range.contains(highest) { return (name, range) }
      if widest == nil || range.count > widest!.range.count { widest = (name, range) }
    }
    return widest ?? ("sine", 12...120)
  }

  /// `key` moved by whole octaves into `range` (as near as it gets), and whether it moved.
  func fold(_ key: Int, into range: ClosedRange<Int>) -> (key: Int, moved: Bool) {
    var k = key
    while k < range.lowerBound && k + 12 <= 127 { k += 12 }
    while k > range.upperBound && k - 12 >= 0 { k -= 12 }
    return (k, k != key)
  }

  /// The word an instrument name starts with: `piano` for the grand, else the module's letters and digits.
  func word(_ module: String) -> String {
    if module == "grand" { return "piano" }
    let letters = module.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") }
    return letters.isEmpty ? "inst" : String(String.UnicodeScalarView(letters))
  }
}
