/// The song-wide settings written as directives.
struct SongSettings {
  /// The opening meter and the top-level changes (`Resolver+Meter.swift`).
  var meters = MeterMap()
  var seed: UInt64 = 0
  var title: String?
  var artist: String?
  var album: String?
  var swing: Swing?
}

/// `swing AMOUNT per GRID`: in each pair of `grid`-beat steps, the boundary between them moves late by
/// `amount × grid`; times inside the pair stretch or shrink linearly (so on-grid notes move exactly and
/// faster notes keep their order).
struct Swing {
  var amount: BeatTime
  var grid: BeatTime

  /// The swung position of beat `t` (exact).
  func apply(_ t: BeatTime) -> BeatTime {
    let cell = grid + grid
    let cellStart = (t / cell).floor * cell
    let pos = t - cellStart
    let late = grid * amount
    if pos <= grid { return cellStart + pos * (grid + late) / grid }
    return cellStart + grid + late + (pos - grid) * (grid - late) / grid
  }
}

extension Resolver {
  func resolveDirectives(_ file: PatternFile, _ diagnostics: inout [Diagnostic]) -> SongSettings {
    var song = SongSettings()
    song.meters = resolveMeters(file, &diagnostics)
    if let seed = file.seeds.first {
      if seed.value.value.denominator != 1 || seed.value.value.isNegative {
        diagnostics.append(.error("the seed must be a whole number ≥ 0", at: seed.value.range, hint: "seed 7;"))
      } else {
        song.seed = UInt64(exactly: seed.value.value.numerator) ?? 0
      }
    }
    reportRepeats(file.seeds.map(\.range), "seed", &diagnostics)
    for key in ["title", "artist", "album"] {
      let decls = file.tags.filter { $0.key.text == key }
      reportRepeats(decls.map(\.range), key, &diagnostics)
      guard let value = decls.first?.value.text else { continue }
      switch key {
      case "title": song.title = value
      case "artist": song.artist = value
      default: song.album = value
      }
    }
    if let swing = file.swings.first {
      if swing.amount.value >= .one {
        diagnostics.append(
          .error(
            "swing must be less than 1", at: swing.amount.range,
            hint: "1/3 gives a triplet feel; 0 is straight"))
      } else if swing.grid.value == .zero {
        diagnostics.append(.error("the swing step must be longer than 0 beats", at: swing.grid.range, hint: "per 1/2"))
      } else {
        song.swing = Swing(amount: swing.amount.value, grid: swing.grid.value)
      }
    }
    reportRepeats(file.swings.map(\.range), "swing", &diagnostics)
    return song
  }

  /// A directive written twice: the second is an error pointing at the first.
  private func reportRepeats(_ ranges: [SourceRange], _ what: String, _ diagnostics: inout [Diagnostic]) {
    for range in ranges.dropFirst() {
      diagnostics.append(
        .error(
          "\(what) is set twice", at: range, hint: "a song has one \(what); remove one",
          notes: [.init(message: "first set here", range: ranges[0])]))
    }
  }

  /// Tempo points sorted by beat, starting at beat 0 (60 BPM until the first one when none is there). `at 9:1`
  /// counts bars through `meters`, the song's meter map with its sections placed.
  func resolveTempo(_ decls: [TempoDecl], meters: MeterMap, _ diagnostics: inout [Diagnostic]) -> [TempoPoint] {
    var points: [(point: TempoPoint, decl: TempoDecl)] = []
    for decl in decls {
      var ok = true
      for n in [decl.beatsPerMinute, decl.rampTo].compactMap({ $0 })
      where n.value < BeatTime(1) || n.value > BeatTime(1000) {
        diagnostics.append(
          .error("tempo \(n.text) is out of range", at: n.range, hint: "use 1 … 1000 beats per minute"))
        ok = false
      }
      if let over = decl.rampBeats, over.value == .zero {
        diagnostics.append(.error("a tempo ramp must last longer than 0 beats", at: over.range, hint: "over 8"))
        ok = false
      }
      var beat = BeatTime.zero
      if let at = decl.at {
        guard let b = TimeResolver(meters: meters).single(at, &diagnostics) else { continue }
        beat = b
      }
      guard ok else { continue }
      if let first = points.first(where: { $0.point.beat == beat }) {
        let when = beat == .zero ? "" : " at beat \(beat)"
        diagnostics.append(
          .error(
            "tempo is set twice\(when)", at: decl.range,
            hint: beat == .zero ? "change it later with: tempo N at BEAT;" : "remove one, or move it to another beat",
            notes: [.init(message: "first set here", range: first.decl.range)]))
        continue
      }
      let ramp = decl.rampTo.map { TempoRamp(beatsPerMinute: $0.value, beats: decl.rampBeats!.value) }
      points.append((TempoPoint(beat: beat, beatsPerMinute: decl.beatsPerMinute.value, ramp: ramp), decl))
    }
    points.sort { $0.point.beat < $1.point.beat }
    // A ramp must end before the next change starts.
    for (a, b) in zip(points, points.dropFirst()) {
      if let ramp = a.point.ramp, a.point.beat + ramp.beats > b.point.beat {
        diagnostics.append(
          .error(
            "the tempo changes at beat \(b.point.beat), inside the ramp from beat \(a.point.beat) to \(a.point.beat + ramp.beats)",
            at: b.decl.range, hint: "start this change after the ramp ends, or shorten the ramp",
            notes: [.init(message: "the ramp", range: a.decl.range)]))
      }
    }
    var result = points.map(\.point)
    if result.first?.beat != .zero {
      result.insert(TempoPoint(beat: .zero, beatsPerMinute: BeatTime(60)), at: 0)
    }
    return result
  }
}
