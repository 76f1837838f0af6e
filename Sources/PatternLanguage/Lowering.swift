/// Checks a file's blocks, motifs and sections once and turns them into `Program` nodes: instruments bound,
/// notes checked against what the instrument plays, attributes in range, times in beats, motif and section
/// names bound, recursion found. Expansion then never has to report a problem twice.
final class Lowering {
  let catalog: InstrumentCatalog
  let limits: LanguageLimits
  let bound: [(name: String, decl: ImportDecl, instrument: InstrumentDescriptor)]
  /// How the statements being lowered read `bar:beat`: the song's map in top-level blocks, one meter from 0 in a
  /// motif or section.
  var times: TimeResolver
  var diagnostics: [Diagnostic]
  var program = Program()
  private var trackKeys: [String: Int] = [:]
  var trackAttributeSource: [Int: SourceRange] = [:]
  var statementCount = 0
  /// Whether top-level blocks may be lowered on several threads (`lowerBlocksInParts`), and whether doing so met
  /// a diagnostic: then the result is incomplete and the caller lowers again with `allowsParts` false.
  var allowsParts = true
  var partsFailed = false
  /// Mix state while lowering: the bus declarations kept, each track's mix signature and where it was set, and
  /// its `fx=` chain as written (checked at the end, when every track is known).
  var busDecls: [BusDecl] = []
  var trackMix: [Int: (String, SourceRange)] = [:]
  var trackInserts: [Int: [EffectCall]] = [:]
  var effectCount = 0
  /// Scale state: whether the file sets any scale, the "no scale" error that later uses fold into, and how
  /// many `repeat`s (and whether a motif) the statement being lowered is inside.
  var hasScales = false
  var noScaleError: (diagnostic: Int, uses: Int)?
  var repeatDepth = 0
  var inMotif = false
  var motifIndex: [String: Int] = [:]
  var sectionIndex: [String: Int] = [:]
  /// Instrument names whose mistake is already reported (a failed import, or the first use of an unknown name):
  /// the diagnostic's index, and how many later uses were folded into it. One mistake, one error.
  private var reportedNames: [String: (diagnostic: Int, uses: Int)] = [:]
  /// Instruments found by name so far: most statements name one of a few, and searching the imports and the
  /// built-ins copied each descriptor looked at.
  var instrumentsByName: [String: InstrumentDescriptor] = [:]
  /// The instrument `instrument(named:)` found last.
  private var lastInstrument: (name: String, instrument: InstrumentDescriptor)?
  private lazy var knownNames =
    bound.map(\.name) + catalog.builtins.map(\.id.rawValue).filter { id in !bound.contains { $0.name == id } }

  init(
    catalog: InstrumentCatalog, limits: LanguageLimits,
    bound: [(name: String, decl: ImportDecl, instrument: InstrumentDescriptor)], meters: MeterMap,
    diagnostics: [Diagnostic], failedImports: [ImportDecl] = []
  ) {
    self.catalog = catalog
    self.limits = limits
    self.bound = bound
    self.times = TimeResolver(meters: meters, limits: limits)
    program.meterMap = meters
    self.diagnostics = diagnostics
    // An import that failed was reported at its module; its name's uses become notes there.
    for decl in failedImports where !bound.contains(where: { $0.name == decl.name.text }) {
      if let i = diagnostics.firstIndex(where: { $0.severity == .error && $0.range == decl.module.range }) {
        reportedNames[decl.name.text] = (i, 0)
      }
    }
  }

  /// The instrument `name` stands for: an import, else a built-in; nil when neither.
  private func instrument(named name: String) -> InstrumentDescriptor? {
    // Statements in a row mostly name the same instrument: compared, not hashed.
    if let last = lastInstrument, last.name == name { return last.instrument }
    if let known = instrumentsByName[name] {
      lastInstrument = (name, known)
      return known
    }
    guard let found = bound.first(where: { $0.name == name })?.instrument ?? catalog.builtin(name) else { return nil }
    instrumentsByName[name] = found
    lastInstrument = (name, found)
    return found
  }

  /// A use of a name whose mistake is already reported: noted there (the first three uses, then a count),
  /// not reported again. Returns false when nothing reported the name yet.
  private func foldUse(of name: String, at range: SourceRange) -> Bool {
    guard let (i, uses) = reportedNames[name] else { return false }
    reportedNames[name] = (i, uses + 1)
    diagnostics[i].fold(
      occurrence: uses, note: "'\(name)' is used here",
      counting: { "and \($0) more use\($0 == 1 ? "" : "s") of '\(name)'" }, at: range)
    return true
  }

  func lower(_ file: PatternFile) -> Program {
    declareBuses(file.buses)
    hasScales = !file.scales.isEmpty || file.sections.contains { !$0.scales.isEmpty }
    // Names first, so statements can play motifs defined below them.
    for motif in file.motifs {
      if let first = motifIndex[motif.name.text] {
        diagnostics.append(
          .error(
            "motif '\(motif.name.text)' is defined twice", at: motif.name.range,
            notes: [.init(message: "first defined here", range: file.motifs[first].name.range)]))
      } else {
        motifIndex[motif.name.text] = motifIndex.count
      }
    }
    for section in file.sections {
      if let first = sectionIndex[section.name.text] {
        diagnostics.append(
          .error(
            "section '\(section.name.text)' is defined twice", at: section.name.range,
            notes: [.init(message: "first defined here", range: file.sections[first].name.range)]))
      } else {
        sectionIndex[section.name.text] = sectionIndex.count
      }
    }
    // With sections in their own meters, a top-level `bar:beat` counts bars the arrangement places, so the
    // top-level blocks are lowered last, once section lengths are known (their tracks and statement keys are
    // taken first, so nothing else changes).
    let arrangedMeters = file.sections.contains { !$0.meters.isEmpty }
    var deferred: [(block: Block, track: Int, ordinal: Int, firstStatement: Int)] = []
    var ordinals = BlockOrdinals()
    // Many statements in several top-level blocks: lowered on several threads (`Lowering+Parts.swift`).
    let inParts = arrangedMeters ? nil : lowerBlocksInParts(file.blocks)
    if partsFailed { return program }
    if let inParts { program.blocks = inParts }
    for block in file.blocks where inParts == nil {
      let ordinal = ordinals.next(block.kind)
      if arrangedMeters {
        deferred.append((block, track(for: block, ordinal: ordinal, inSection: false), ordinal, statementCount))
        statementCount += Self.noteStatements(in: block.statements)
      } else {
        program.blocks.append(lowerBlock(block, ordinal: ordinal, scope: 0))
      }
    }
    let songTimes = times
    times = TimeResolver(meter: program.meterMap.opening, limits: limits)
    inMotif = true
    for motif in file.motifs where program.motifs.count < motifIndex.count {
      guard motifIndex[motif.name.text] == program.motifs.count else { continue }
      program.motifs.append(
        LoweredMotif(name: motif.name.text, nodes: lowerBody(motif.statements), location: motif.range.start))
    }
    inMotif = false
    for section in file.sections where program.sections.count < sectionIndex.count {
      guard sectionIndex[section.name.text] == program.sections.count else { continue }
      program.sections.append(lowerSection(section))
    }
    if let arrange = file.arrangements.first { program.arrangement = lowerArrangement(arrange) }
    resolveChains(masters: file.masters)
    for extra in file.arrangements.dropFirst() {
      diagnostics.append(
        .error(
          "the song is arranged twice", at: extra.range, hint: "list every section in one arrange { … }",
          notes: [.init(message: "first arranged here", range: file.arrangements[0].range)]))
    }
    let arranged = Set(file.arrangements.flatMap(\.entries).map(\.section.text))
      .union(file.sections.flatMap(\.arrangements).flatMap(\.entries).map(\.section.text))
    for section in file.sections where !arranged.contains(section.name.text) {
      diagnostics.append(
        .warning(
          "section '\(section.name.text)' is never arranged, so it does not play", at: section.name.range,
          hint: "arrange { \(section.name.text); }"))
    }
    times = songTimes
    var formChecked = false
    if !diagnostics.hasErrors {
      var form = SongForm(program: program, limits: limits, diagnostics: diagnostics)
      (program, diagnostics) = form.check()
      formChecked = !diagnostics.hasErrors
    }
    if arrangedMeters {
      if formChecked, let map = arrangedMeterMap(at: file.arrangements.first?.range) {
        program.meterMap = map
        times = TimeResolver(meters: map, limits: limits)
      }
      let next = statementCount
      for d in deferred {
        statementCount = d.firstStatement
        program.blocks.append(
          LoweredBlock(
            track: d.track, key: Self.blockKey(d.block, ordinal: d.ordinal, scope: 0),
            nodes: lowerBody(d.block.statements)))
      }
      statementCount = next
    }
    // Top-level scales count `bar:beat` as the top-level blocks do (through the arranged meters, if any).
    program.scales = scalePoints(file.scales)
    return program
  }

  /// How many note statements `statements` hold, repeats' bodies included: the statement keys a body takes.
  static func noteStatements(in statements: [Statement]) -> Int {
    statements.reduce(0) { $0 + noteStatements(in: $1) }
  }

  /// The note statements `statement` holds: 1 for a note, a repeat's body's, none for a play.
  static func noteStatements(in statement: Statement) -> Int {
    switch statement {
    case .note: return 1
    case .repeat(let r): return noteStatements(in: r.body)
    case .play: return 0
    }
  }

  // MARK: - Tracks

  /// The track for the `ordinal`-th block of a kind in a scope: `melody` in every section and at the top level is
  /// one track, as is each scope's second melody block (`melody 2`).
  func track(for block: Block, ordinal: Int, inSection: Bool) -> Int {
    let key = "\(block.kind.rawValue)#\(ordinal)"
    let index: Int
    if let i = trackKeys[key] {
      index = i
    } else {
      index = program.tracks.count
      trackKeys[key] = index
      program.tracks.append(
        Track(
          index: index, kind: block.kind,
          name: ordinal == 1 ? block.kind.rawValue : "\(block.kind.rawValue) \(ordinal)", gainDecibels: 0, pan: 0,
          location: block.keyword.range.start))
    }
    recordMix(of: block, track: index)
    guard !block.attributes.isEmpty, let values = AttributeValues(block.attributes, .block, &diagnostics) else {
      return index
    }
    let gain = values.double(.gain) ?? 0
    let pan = values.double(.pan) ?? 0
    let width = values.double(.width) ?? 1
    var moving: [NoteAttribute: Automation] = [:]
    for (kind, (value, expr)) in values.moving.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      guard !inSection else {
        diagnostics.append(
          .error(
            "a track's \(kind.rawValue) moves only in its top-level block", at: expr.range,
            hint:
              "write \(block.kind.rawValue)(\(kind.rawValue)=…) { } at the top level: its times are the song's beats"))
        return index
      }
      guard let a = automation(expr, from: value, parameter: kind.automated, base: .song) else { return index }
      moving[kind] = a
    }
    if let first = trackAttributeSource[index] {
      let t = program.tracks[index]
      if t.gainDecibels != gain || t.pan != pan || t.width != width || t.gainAutomation != moving[.gain]
        || t.panAutomation != moving[.pan] || t.widthAutomation != moving[.width]
      {
        diagnostics.append(
          .error(
            "track '\(program.tracks[index].name)' already has a different gain, pan or width", at: block.keyword.range,
            hint: "give every \(block.kind.rawValue) block of the song the same (gain=…, pan=…), or set it once",
            notes: [.init(message: "set here", range: first)]))
      }
    } else {
      trackAttributeSource[index] = block.attributes[0].range.union(block.attributes.last!.range)
      program.tracks[index].gainDecibels = gain
      program.tracks[index].pan = pan
      program.tracks[index].width = width
      program.tracks[index].gainAutomation = moving[.gain]
      program.tracks[index].panAutomation = moving[.pan]
      program.tracks[index].widthAutomation = moving[.width]
    }
    return index
  }

  private func lowerBlock(_ block: Block, ordinal: Int, scope: UInt64) -> LoweredBlock {
    let track = track(for: block, ordinal: ordinal, inSection: scope != 0)
    return LoweredBlock(
      track: track, key: Self.blockKey(block, ordinal: ordinal, scope: scope), nodes: lowerBody(block.statements))
  }

  static func blockKey(_ block: Block, ordinal: Int, scope: UInt64) -> UInt64 {
    StreamKey.combine(StreamKey.combine(scope, StreamKey.name(block.kind.rawValue)), UInt64(ordinal))
  }

  private func lowerSection(_ section: SectionDecl) -> LoweredSection {
    let key = StreamKey.combine(0x5EC7_1011, StreamKey.name(section.name.text))
    // A section counts its bars from its start, in its own meter or the song's opening one.
    let meter = Resolver.sectionMeter(section, &diagnostics)
    times = TimeResolver(meter: meter ?? program.meterMap.opening, limits: limits)
    var ordinals = BlockOrdinals()
    var blocks: [LoweredBlock] = []
    for block in section.blocks {
      blocks.append(lowerBlock(block, ordinal: ordinals.next(block.kind), scope: key))
    }
    let values = AttributeValues(section.attributes, .section, &diagnostics)
    for extra in section.arrangements.dropFirst() {
      diagnostics.append(
        .error(
          "section '\(section.name.text)' is arranged twice", at: extra.range,
          notes: [.init(message: "first arranged here", range: section.arrangements[0].range)]))
    }
    return LoweredSection(
      name: section.name.text, key: key, blocks: blocks,
      arrangement: section.arrangements.first.map(lowerArrangement) ?? [], explicitLength: values?[.length],
      meter: meter, scales: scalePoints(section.scales), location: section.name.range.start)
  }

  private func lowerArrangement(_ arrange: ArrangeDecl) -> [ArrangeSlot] {
    arrange.entries.compactMap { entry in
      guard let index = sectionIndex[entry.section.text] else {
        let names = sectionIndex.keys.sorted()
        diagnostics.append(
          .error(
            "unknown section '\(entry.section.text)'", at: entry.section.range,
            hint: Suggestions.hint(for: entry.section.text, in: names)
              ?? (names.isEmpty
                ? "define it first: section \(entry.section.text) { melody { … } }"
                : "sections: " + names.joined(separator: ", "))))
        return nil
      }
      return ArrangeSlot(section: index, count: entry.count, range: entry.range)
    }
  }

  // MARK: - Statements

  /// A body's statements, checked.
  func lowerBody(_ statements: [Statement]) -> [Node] { lowerBody(statements[...]) }

  /// Statements of a body, checked.
  /// - Parameter firstIndex: The first statement's position in its body (a body lowered in runs, `lowerBlocksInParts`).
  func lowerBody(_ statements: ArraySlice<Statement>, firstIndex: Int = 0) -> [Node] {
    var nodes: [Node] = []
    nodes.reserveCapacity(statements.count)
    for (offset, statement) in statements.enumerated() {
      let index = firstIndex + offset
      switch statement {
      case .note(let s):
        let statementIndex = statementCount
        statementCount += 1
        if let n = lowerNote(s, index: index, statementIndex: statementIndex) { nodes.append(.note(n)) }
      case .repeat(let r):
        repeatDepth += 1
        let body = lowerBody(r.body)
        repeatDepth -= 1
        let count = r.count.value.numerator
        guard count >= 1, count <= limits.maxRepeat else {
          diagnostics.append(
            .error(
              "repeat count \(r.count.text) is out of range", at: r.count.range,
              hint: "repeat 1 … \(limits.maxRepeat) times"))
          continue
        }
        nodes.append(
          .repeat(count: Int(count), every: r.every.value, body: body, index: index, location: r.range.start))
      case .play(let p):
        if let n = lowerPlay(p, index: index) { nodes.append(.play(n)) }
      }
    }
    return nodes
  }

  private func lowerPlay(_ p: PlayStatement, index: Int) -> PlayNode? {
    guard let motif = motifIndex[p.motif.text] else {
      let names = motifIndex.keys.sorted()
      diagnostics.append(
        .error(
          "unknown motif '\(p.motif.text)'", at: p.motif.range,
          hint: Suggestions.hint(for: p.motif.text, in: names)
            ?? (names.isEmpty
              ? "define it with: let \(p.motif.text) = { … };" : "motifs: " + names.joined(separator: ", "))))
      return nil
    }
    guard let at = times.single(p.at, &diagnostics), let (shape, every) = playShape(p) else { return nil }
    return PlayNode(motif: motif, at: at, shape: shape, every: every, range: p.range, index: index)
  }

  private func lowerNote(_ s: NoteStatement, index: Int, statementIndex: Int) -> LoweredNote? {
    let name = s.instrument.text
    guard let instrument = instrument(named: name) else {
      if foldUse(of: name, at: s.instrument.range) { return nil }
      let moduleHint = catalog.module(name) != nil ? "add: import \(name) from \"\(name)\";" : nil
      diagnostics.append(
        .error(
          "unknown instrument '\(name)'", at: s.instrument.range,
          hint: Suggestions.hint(for: name, in: knownNames) ?? moduleHint
            ?? "known instruments: " + knownNames.joined(separator: ", ")))
      reportedNames[name] = (diagnostics.count - 1, 0)
      return nil
    }
    let checker = NoteChecker(instrument: instrument, name: name, kitModules: catalog.modules)
    if case .mini(let notation) = s.note, case .cycles(let spec) = s.time {
      return lowerMini(
        s, notation, spec, checker: checker, name: name, index: index, statementIndex: statementIndex)
    }
    let pick: NotePick
    let arp: ArpPlan?
    if case .arp(let spec) = s.note {
      guard let lowered = lowerArp(spec, checker) else { return nil }
      (pick, arp) = (lowered.pick, lowered.plan)
    } else {
      guard let written = checker.pick(s.note, &diagnostics) else { return nil }
      (pick, arp) = (written, nil)
    }
    if !hasScales { reportDegreesWithoutScale(in: s.note) }
    var valid = true
    let values = AttributeValues(s.attributes, .note, &diagnostics, valid: &valid)
    guard valid, let onsets = times.onsets(s.time, &diagnostics) else { return nil }
    var duration = values[.dur] ?? Resolver.defaultDuration
    if case .euclid(let e) = s.time, values[.dur] == nil { duration = e.step.value }
    if case .run(let r) = s.time, values[.dur] == nil { duration = r.step.value }
    guard
      let expression = noteExpression(
        values, attributes: s.attributes, duration: duration, instrument: instrument, name: name)
    else {
      return nil
    }
    return LoweredNote(
      instrumentName: name, instrument: instrument, pick: pick, onsets: onsets, duration: duration,
      velocity: values.velocity?.level ?? 1, velocitySpread: values.velocity?.spread ?? 0, arp: arp,
      pan: values.double(.pan) ?? 0,
      gainDecibels: values.double(.gain) ?? 0, probability: values.double(.prob), nudge: values[.nudge],
      envelope: EnvelopeOverride(
        attackSeconds: values.double(.attack), decaySeconds: values.double(.decay),
        sustainLevel: values.double(.sustain), releaseSeconds: values.double(.release)),
      expression: expression, location: s.range.start, noteRange: s.note.range, statementIndex: statementIndex,
      index: index)
  }
}
