import PatternLanguage

/// A score turned into frames: per track, the voices in sum order, split into two fixed lanes.
struct Schedule: Sendable {
  /// `lanes[track][lane]`, each sorted by start frame then source order.
  var lanes: [[[ScheduledVoice]]]
  /// Frames of the whole render, including the last release.
  var totalFrames: Int64
}

/// Number of fixed lanes per track. Lanes are the unit of parallel work; their number never depends on the
/// thread count, and lanes are summed in a fixed order, so the output does not either.
let lanesPerTrack = 2

enum Scheduler {
  /// Frames a choked hit takes to fade out.
  static func chokeFade(rate: Double) -> Int64 { Int64((0.005 * rate).rounded()) }

  /// Cuts a drum or sampled hit at `frame` with a short fade (choke groups).
  static func choke(_ v: inout ScheduledVoice, at frame: Int64, rate: Double) {
    let fade = chokeFade(rate: rate)
    switch v.kind {
    case .sampler:
      // From the level the voice has there (in its release already, if it was let go before the cut).
      v.levelAtNoteOff = v.envelope(at: frame)
      v.noteOffFrame = frame
      v.releaseFrames = fade
      v.releaseCurve = .linear
      v.endFrame = min(v.endFrame, frame + fade)
    case .drum:
      v.chokeFrame = frame
      v.endFrame = min(v.endFrame, frame + fade)
    default: break
    }
  }

  /// Converts the score's beats to frames and precomputes every per-voice constant. Each voice kind's own
  /// part lives in `Scheduler+Voices.swift`; this loop does what every kind shares (timing, envelope, level,
  /// pan, limits, choke groups, lanes).
  /// - Parameter buildLanes: False for the diagnostics alone (`RenderSession.limitDiagnostics`): every check is
  ///   made, the lanes are not filled, and no schedule is returned.
  static func schedule(_ score: Score, patches: PatchBank, settings: EngineSettings, buildLanes: Bool = true) -> (
    Schedule?, [Diagnostic]
  ) {
    let limits = settings.limits
    let rate = Double(settings.sampleRate)
    let tempo = TempoMap(score.tempo, sampleRate: settings.sampleRate)
    let maxFrames = Int64(limits.maxSeconds * rate)
    var perTrack = [[ScheduledVoice]](repeating: [], count: score.tracks.count)
    // One voice per event in most songs: each track's list is allocated once, not regrown (each regrowth copied
    // it and touched fresh pages).
    var eventsPerTrack = [Int](repeating: 0, count: score.tracks.count)
    for i in score.events.indices where eventsPerTrack.indices.contains(score.events[i].track) {
      eventsPerTrack[score.events[i].track] += 1
    }
    for track in perTrack.indices { perTrack[track].reserveCapacity(eventsPerTrack[track]) }
    var diagnostics: [Diagnostic] = []
    var total: Int64 = 0
    // Choke groups: the voices of each (instrument, group) that may still sound, as (track, index). A song has a
    // few groups, found by a look along the list: a `[ChokeKey: …]` had the runtime scan every protocol
    // conformance in the binary for `ChokeKey: Hashable` on its first use (~0.1 ms of W2's schedule).
    var sounding: [(key: ChokeKey, voices: [(Int, Int)])] = []
    func group(_ key: ChokeKey) -> Int {
      if let found = sounding.firstIndex(where: { $0.key == key }) { return found }
      sounding.append((key, []))
      return sounding.count - 1
    }
    // Round-robin counts per sampler zone, by instrument.
    var counters: [InstrumentID: [Int]] = [:]
    /// Pans `v`, checks its end, cuts what its choke group still has sounding and appends it to its track; a
    /// diagnostic returned stops the render.
    func place(_ v: inout ScheduledVoice, _ e: NoteEvent, _ patchPan: Double) -> Diagnostic? {
      // A moving track pan is the mix graph's (a balance after the inserts), not the notes'.
      let trackPan = score.tracks[e.track].panAutomation == nil ? score.tracks[e.track].pan : 0
      applyPan(&v, pan: max(-1, min(1, e.pan + patchPan + v.pan + trackPan)))
      if v.endFrame > maxFrames {
        return .error(
          "the song would be longer than \(Int(limits.maxSeconds)) seconds", at: SourceRange(at: e.location),
          hint: "this note ends at \(String(format1(Double(v.endFrame) / rate))) s")
      }
      if v.chokeGroup > 0 {
        // Cut what this voice's group still has sounding on this instrument (voices that began earlier).
        let key = ChokeKey(instrument: e.instrument.id, group: v.chokeGroup)
        for (t, i) in sounding.first(where: { $0.key == key })?.voices ?? []
        where perTrack[t][i].endFrame > v.startFrame && perTrack[t][i].startFrame < v.startFrame {
          Scheduler.choke(&perTrack[t][i], at: v.startFrame, rate: rate)
        }
      }
      if v.chokedBy > 0 {
        // In place: the voices still sounding, in the order they began, then this one.
        let start = v.startFrame
        let g = group(ChokeKey(instrument: e.instrument.id, group: v.chokedBy))
        sounding[g].voices.removeAll { perTrack[$0.0][$0.1].endFrame <= start }
        sounding[g].voices.append((e.track, perTrack[e.track].count))
      }
      total = max(total, v.endFrame)
      perTrack[e.track].append(v)
      return nil
    }
    for (order, e) in score.events.enumerated() {
      if let solo = settings.soloTrack, e.track != solo { continue }
      guard let patch = patches[e.instrument.id] else {
        diagnostics.append(
          .error("instrument '\(e.instrumentName)' has no sound (\(e.instrument.id))", at: SourceRange(at: e.location)))
        continue
      }
      let base = baseVoice(e, order: order, patch: patch, score: score, tempo: tempo, rate: rate)
      if case .sampler(let bank) = patch.kind {
        var count = counters[e.instrument.id] ?? [Int](repeating: 0, count: bank.zones.count)
        let draw = Double(NoiseHash.uniform(key: base.seed ^ 0x726E_645F_6472_6177, index: 0)) * 0.5 + 0.5
        let result = sampledNotes(
          base, bank: bank, event: e, draw: draw, counters: &count, sampleRate: settings.sampleRate,
          limitsOnly: settings.limitsOnly)
        counters[e.instrument.id] = count
        switch result {
        case .success(let played):
          for var v in played {
            if let stop = place(&v, e, patch.pan) {
              diagnostics.append(stop)
              return (nil, diagnostics)
            }
          }
        case .failure(let diagnostic):
          diagnostics.append(diagnostic.diagnostic)
          return (nil, diagnostics)
        }
      } else {
        // One voice, placed without a one-element array around it (an allocation and two copies per note).
        var v = base
        switch configure(&v, patch: patch, event: e, sampleRate: settings.sampleRate, limitsOnly: settings.limitsOnly) {
        case .play:
          if let stop = place(&v, e, patch.pan) {
            diagnostics.append(stop)
            return (nil, diagnostics)
          }
        case .skip: break
        case .fail(let diagnostic):
          diagnostics.append(diagnostic)
          return (nil, diagnostics)
        }
      }
    }
    // Sum order: start frame, then source order (the sort is stable on `order`).
    var lanes: [[[ScheduledVoice]]] = []
    for voices in perTrack {
      // Positions are sorted, then each voice is copied once, into its lane: sorting the voices themselves
      // moved every one (a few hundred bytes) several times. Ties keep insertion order, as a stable sort would.
      let sorted = StableSort.sorted(Array(0..<voices.count)) { a, b in
        (voices[a].startFrame, voices[a].order, a) < (voices[b].startFrame, voices[b].order, b)
      }
      // Each lane's limit is checked on its positions, before (or instead of) copying its voices.
      for lane in 0..<lanesPerTrack {
        let positions = stride(from: lane, to: sorted.count, by: lanesPerTrack).map { sorted[$0] }
        if peakConcurrency(voices, at: positions) > limits.maxVoicesPerLane, let first = positions.first {
          let event = score.events[voices[first].order]
          diagnostics.append(
            .error(
              "more than \(limits.maxVoicesPerLane * lanesPerTrack) notes sound at once in this track",
              at: SourceRange(at: event.location)))
          return (nil, diagnostics)
        }
      }
      guard buildLanes else { continue }
      var trackLanes = [[ScheduledVoice]](repeating: [], count: lanesPerTrack)
      for lane in trackLanes.indices { trackLanes[lane].reserveCapacity(voices.count / lanesPerTrack + 1) }
      for (i, v) in sorted.enumerated() { trackLanes[i % lanesPerTrack].append(voices[v]) }
      lanes.append(trackLanes)
    }
    guard buildLanes else { return (nil, diagnostics) }
    return (Schedule(lanes: lanes, totalFrames: max(total, settings.minimumFrames)), diagnostics)
  }

  /// A choke group of one instrument.
  struct ChokeKey: Equatable {
    var instrument: InstrumentID
    var group: Int
  }

  /// The voice every kind starts from: start and note-off frames, pitch, level, the envelope with the note's
  /// overrides, and its noise key. Kinds then change what they need.
  static func baseVoice(
    _ e: NoteEvent, order: Int, patch: Patch, score: Score, tempo: TempoMap, rate: Double
  ) -> ScheduledVoice {
    let start = tempo.frame(e.start)
    let off = max(start + 1, tempo.frame(e.start + e.duration))
    let midi: Double
    switch e.note {
    case .pitch(let m): midi = Double(m)
    case .hit(let name): midi = Double(patch.hitKeys[name] ?? 60)
    }
    let f = DSPMath.frequencyHz(midi: midi)
    var env = patch.envelope
    if let a = e.envelope.attackSeconds { env.attackSeconds = a }
    if let d = e.envelope.decaySeconds { env.decaySeconds = d }
    if let s = e.envelope.sustainLevel { env.sustainLevel = s }
    if let r = e.envelope.releaseSeconds { env.releaseSeconds = r }
    var v = ScheduledVoice(
      kind: .pluck, order: order, startFrame: start, noteOffFrame: off, endFrame: off,
      frequencyHz: f, midiNote: midi,
      phaseIncrement: UInt32(truncatingIfNeeded: Int64((f / rate * 4_294_967_296.0).rounded())),
      amplitude: Float(patch.gain * e.velocity * (e.gainDecibels == 0 ? 1 : DSPMath.gain(decibels: e.gainDecibels))),
      gainLeft: 0, gainRight: 0,
      attackFrames: frames(env.attackSeconds, rate), decayFrames: frames(env.decaySeconds, rate),
      sustainLevel: Float(env.sustainLevel), releaseFrames: max(1, frames(env.releaseSeconds, rate)),
      levelAtNoteOff: 0,
      // Noise streams are keyed by the song's own seed (0 unless it says `seed N;`).
      seed: NoiseHash.key(score.seed, UInt64(e.track), UInt64(e.statementIndex), UInt64(order)),
      cutoffHz: 0, q: 0, velocity: Float(e.velocity))
    v.levelAtNoteOff = v.levelIfHeld(at: off)
    v.control = NoteControl.of(e, startFrame: start, midi: midi, tempo: tempo)
    return v
  }

  /// Whole frames of `seconds` at `rate`.
  static func frames(_ seconds: Double, _ rate: Double) -> Int64 {
    // Saturating: a time past a day (a hostile font's key-tracked decay) cannot trap the conversion.
    let x = (seconds * rate).rounded()
    return x.isNaN ? 0 : Int64(min(max(x, -86_400 * rate), 86_400 * rate))
  }

  /// The voice's own gain comes from the velocity; pan from the note, the patch and the track.
  static func applyPan(_ v: inout ScheduledVoice, pan: Double) {
    let (l, r) = DSPMath.panGains(pan)
    switch v.kind {
    case .oscillator, .drum:
      // Amplitude folded into the pan gains.
      v.gainLeft = v.amplitude * l
      v.gainRight = v.amplitude * r
    default:
      // The others scale their mono output themselves.
      v.gainLeft = l
      v.gainRight = r
    }
  }

  /// The most voices of a lane alive at one frame (sweep over starts and ends), each held `endPadding` frames
  /// past its end.
  static func peakConcurrency(_ voices: [ScheduledVoice], endPadding: Int64 = 0) -> Int {
    peakConcurrency(voices, at: voices.indices, endPadding: endPadding)
  }

  /// `peakConcurrency` of the voices at `positions` (in start order) of `voices`.
  static func peakConcurrency<Positions: Collection<Int>>(
    _ voices: [ScheduledVoice], at positions: Positions, endPadding: Int64 = 0
  ) -> Int {
    // Read in place: copying the voices (a few hundred bytes each, with references) cost more than the count.
    voices.withUnsafeBufferPointer { voices in
      var ends = [Int64](unsafeUninitializedCapacity: positions.count) { buffer, count in
        for (i, p) in positions.enumerated() { buffer[i] = voices[p].endFrame + endPadding }
        count = positions.count
      }
      StableSort.sort(&ends, by: <)
      var j = 0
      var live = 0
      var peak = 0
      for p in positions {  // in start order
        let start = voices[p].startFrame
        while j < ends.count && ends[j] <= start {
          j += 1
          live -= 1
        }
        live += 1
        peak = max(peak, live)
      }
      return peak
    }
  }

  static func format1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return "\(r)"
  }
}
