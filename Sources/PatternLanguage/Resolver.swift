/// Binds names to instruments and turns the syntax tree into a `Score`, checking what the parser cannot:
/// unknown instruments, modules, motifs and sections, duplicate imports, notes an instrument cannot play,
/// attribute ranges, tempo and meter, recursion, and the event and expansion limits.
///
/// Three steps: directives (`Resolver+Directives.swift`), lowering of statements to checked nodes
/// (`Lowering.swift`), and expansion of repeats, motifs and sections into events (`Expander.swift`).
public struct Resolver {
  public let catalog: InstrumentCatalog
  public let limits: LanguageLimits

  /// Default length of a note, in beats.
  public static let defaultDuration = BeatTime(1, 2)

  public init(catalog: InstrumentCatalog = .builtIn, limits: LanguageLimits = .default) {
    self.catalog = catalog
    self.limits = limits
  }

  /// Resolves a parsed file. The score may be partial when there are errors (check the diagnostics).
  /// - Parameter expand: false skips expanding events (the caller already has errors, e.g. from parsing).
  public func resolve(_ file: PatternFile, expand: Bool = true) -> (score: Score, diagnostics: [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let bound = bindImports(file.imports, &diagnostics)
    let song = resolveDirectives(file, &diagnostics)
    var lowering = Lowering(
      catalog: catalog, limits: limits, bound: bound, meters: song.meters, diagnostics: diagnostics,
      failedImports: file.imports)
    var program = lowering.lower(file)
    if lowering.partsFailed {
      // Blocks lowered side by side met a diagnostic: lowered again in order, for exactly one pass's diagnostics.
      lowering = Lowering(
        catalog: catalog, limits: limits, bound: bound, meters: song.meters, diagnostics: diagnostics,
        failedImports: file.imports)
      lowering.allowsParts = false
      program = lowering.lower(file)
    }
    diagnostics = lowering.diagnostics
    // After lowering: `tempo … at 9:1` counts bars through the map with the sections' meters placed.
    let tempo = resolveTempo(file.tempos, meters: program.meterMap, &diagnostics)
    var score = Score(tracks: program.tracks, events: [], tempo: tempo)
    score.meter = song.meters.opening
    score.meterMap = program.meterMap
    score.seed = song.seed
    score.title = song.title
    score.artist = song.artist
    score.album = song.album
    score.buses = program.buses
    score.master = program.master
    for b in bound {
      if let n = b.decl.channel?.value, n.denominator == 1, (BeatTime(1)...BeatTime(16)).contains(n) {
        score.midiChannels[b.name] = Int(n.numerator)
      }
    }
    // Expansion needs a consistent program: with errors in the statements, the events would be misleading.
    if expand && !diagnostics.hasErrors {
      var expander = Expander(program: program, limits: limits, seed: song.seed, swing: song.swing)
      expander.run()
      diagnostics += expander.diagnostics
      score.events = Legato.resolve(expander.takeSortedEvents())
      score.sections = expander.placements
    }
    return (score, diagnostics)
  }

  /// Imports: local name → instrument. Later imports of the same name are errors.
  private func bindImports(_ imports: [ImportDecl], _ diagnostics: inout [Diagnostic]) -> [(
    name: String, decl: ImportDecl, instrument: InstrumentDescriptor
  )] {
    var bound: [(name: String, decl: ImportDecl, instrument: InstrumentDescriptor)] = []
    for decl in imports {
      if let first = bound.first(where: { $0.name == decl.name.text }) {
        diagnostics.append(
          .error(
            "'\(decl.name.text)' is imported twice", at: decl.name.range,
            hint: "remove one import, or import it under another name",
            notes: [.init(message: "first imported here", range: first.decl.name.range)]))
        continue
      }
      let name = decl.module.text
      if name.isEmpty || name.hasPrefix(".") || name.contains("/") || name.contains("\\") {
        diagnostics.append(
          .error(
            "module \"\(name)\" is not a plain name", at: decl.module.range,
            hint: "modules are looked up by name in the instrument folders (e.g. \"grand\"); paths such as "
              + "\"../x\" or \"/x\" are not allowed"))
        continue
      }
      if catalog.module(name) == nil, let bad = catalog.unavailable.first(where: { $0.name == name }) {
        diagnostics.append(
          .error("instrument module \"\(name)\" cannot be used", at: decl.module.range, hint: bad.reason))
        continue
      }
      guard let instrument = catalog.module(decl.module.text) else {
        diagnostics.append(
          .error(
            "unknown instrument module \"\(decl.module.text)\"", at: decl.module.range,
            hint: (Suggestions.hint(for: decl.module.text, in: catalog.modules.map(\.name))
              ?? "modules: " + catalog.modules.map(\.name).joined(separator: ", "))
              + (catalog.searchNote.map { "; \($0)" } ?? "")))
        continue
      }
      if let channel = decl.channel,
        !(BeatTime(1)...BeatTime(16)).contains(channel.value) || channel.value.denominator != 1
      {
        diagnostics.append(
          .error(
            "MIDI channel \(channel.text) is out of range", at: channel.range,
            hint: "channels are whole numbers 1 … 16 (10 is General MIDI's percussion channel)"))
      }
      bound.append((decl.name.text, decl, instrument))
    }
    return bound
  }
}
