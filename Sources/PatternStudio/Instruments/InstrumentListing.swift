import PatternLanguage

/// One name a song can play: a built-in instrument, or an import module with the file it came from.
public struct InstrumentListingEntry: Sendable {
  public var name: String
  public var instrument: InstrumentDescriptor
  /// "built-in", "built-in module", or the module file's path.
  public var source: String
}

extension InstrumentLibrary {
  /// Built-in names, then import modules under their module names (the original API keyed by name): every
  /// file module (even one named like a built-in), then built-in modules not named above.
  public var listing: [InstrumentListingEntry] {
    var entries = catalog.builtins.map {
      InstrumentListingEntry(name: $0.id.rawValue, instrument: $0, source: "built-in")
    }
    for m in catalog.modules where sources[m.name] != nil || !entries.contains(where: { $0.name == m.name }) {
      entries.append(
        InstrumentListingEntry(name: m.name, instrument: m.instrument, source: sources[m.name] ?? "built-in module"))
    }
    return entries
  }

  /// `{"piano": ["C1", "C#1", …, "C7"], "synth": ["Kick", …], …}`: what each name can play (`pstudio
  /// instruments --json` and `GET /api/instruments`). One key per name: a file module named like a built-in
  /// (e.g. "sine") is listed once, as the built-in.
  public var listingJSON: JSONValue {
    var seen = Set<String>()
    return .object(
      listing.filter { seen.insert($0.name).inserted }.map { e -> (String, JSONValue) in
        switch e.instrument.playable {
        case .pitches(let r): return (e.name, .array(r.map { .string(Pitch.name(ofMIDI: $0)) }))
        case .hits(let h): return (e.name, .array(h.map(JSONValue.string)))
        }
      })
  }
}
