import PatternLanguage

/// Turns a resolved `Score` — the same event list the renderer schedules — into a type-1 Standard MIDI File:
/// a conductor track (title, a time signature at every meter change, tempo changes and ramps), then one track per
/// block named after it.
///
/// - Each instrument (by the name the song uses) gets its own channel with its General MIDI program; kits play
///   on channel 10 with GM drum keys. An import's `channel=N` pins its instrument to channel N; the others take
///   the free channels in order of first use. More than 15 pitched instruments share the last channel (a
///   warning).
/// - Times are beats × ticks per quarter note (960 unless asked otherwise: `MIDITickResolution`), rounded half
///   up (always the same way); a note lasts at least one tick.
/// - Ramps become tempo steps every 1/16 beat whose lengths equal the ramp's exact time for that step, so the
///   MIDI file's clock meets the audio's at every step.
/// - Velocity is `vel` × 127 (at least 1); notes with `vel=0` are silent in the audio and left out. A note's
///   `gain=` and `pan=` have no per-note MIDI equivalent and are not written.
/// - Automation becomes controller curves (`MIDIAutomation`): a track's gain as CC7, its pan as CC10, a send to a
///   bus whose first effect is a reverb as CC91, a note's cutoff as CC74 and its bend as pitch bend.
public enum MIDIExport {
  public static let ticksPerQuarter: UInt16 = 960
  /// The length of one tempo step inside a ramp, in beats.
  public static let rampStep = BeatTime(1, 16)

  /// The tick of a beat: beat × `ticksPerQuarter` (default 960) rounded half up.
  public static func tick(_ beat: BeatTime, ticksPerQuarter: UInt16 = ticksPerQuarter) -> Int64 {
    let n = 2 * Int128(beat.numerator) * Int128(ticksPerQuarter) + Int128(beat.denominator)
    let d = 2 * Int128(beat.denominator)
    var q = n / d
    if n % d != 0 && n < 0 { q -= 1 }
    return Int64(q)
  }

  /// The MIDI file for `score` at the resolution asked for, and warnings for what MIDI cannot express (drum
  /// names GM lacks, channels shared by more than 15 instruments, times rounded to ticks).
  public static func file(for score: Score, resolution: MIDITickResolution) -> (file: MIDIFile, warnings: [String]) {
    let (ppq, warning) = resolution.ticksPerQuarter(for: score)
    let (file, warnings) = file(for: score, ticksPerQuarter: ppq)
    return (file, (warning.map { [$0] } ?? []) + warnings)
  }

  /// The MIDI file for `score` with `ticksPerQuarter` ticks per quarter note (1 … 32,767; default 960), and
  /// warnings for what MIDI cannot express (drum names GM lacks, channels shared by more than 15 instruments).
  public static func file(
    for score: Score, ticksPerQuarter ppq: UInt16 = ticksPerQuarter
  ) -> (file: MIDIFile, warnings: [String]) {
    let ppq = max(1, min(0x7FFF, ppq))
    func tick(_ beat: BeatTime) -> Int64 { MIDIExport.tick(beat, ticksPerQuarter: ppq) }
    var warnings: [String] = []
    var conductor: [MIDIEvent] = []
    if let title = score.title {
      conductor.append(MIDIEvent(tick: 0, .trackName(title)))
      conductor.append(MIDIEvent(tick: 0, .text(title)))
    }
    if let artist = score.artist { conductor.append(MIDIEvent(tick: 0, .text("artist: \(artist)"))) }
    conductor += conductorTimeline(meters: score.meterMap, tempo: score.tempo, ticksPerQuarter: ppq)

    // Channels: pinned by `channel=`, else by instrument name in order of first use, skipping pinned channels.
    var channels = score.midiChannels.mapValues { UInt8($0 - 1) }
    let pinned = Set(channels.values)
    var nextChannel: UInt8 = 0
    func channel(_ e: NoteEvent) -> UInt8 {
      if let c = channels[e.instrumentName] { return c }
      if case .hits = e.instrument.playable { return GeneralMIDI.drumChannel }
      while nextChannel == GeneralMIDI.drumChannel || pinned.contains(nextChannel) { nextChannel += 1 }
      if nextChannel > 15 {
        warnings.append("more than 15 pitched instruments: '\(e.instrumentName)' shares channel 16")
        channels[e.instrumentName] = 15
        return 15
      }
      let c = nextChannel
      nextChannel += 1
      channels[e.instrumentName] = c
      return c
    }

    var perTrack = [[(order: Int, event: MIDIEvent)]](repeating: [], count: score.tracks.count)
    var trackChannels = [Set<UInt8>](repeating: [], count: score.tracks.count)
    let bendRanges = MIDIAutomation.bendRanges(score, channel: { channel($0) })
    var programs = [[UInt8: (program: UInt8, bank: UInt8)]](repeating: [:], count: score.tracks.count)
    var missingHits = Set<String>()
    for (order, e) in score.events.enumerated() where e.velocity > 0 {
      let c = channel(e)
      let key: UInt8
      switch e.note {
      case .pitch(let m): key = UInt8(m)
      case .hit(let h):
        guard let k = GeneralMIDI.drumKey(h) else {
          if missingHits.insert(h).inserted { warnings.append("General MIDI has no drum sound for '\(h)'; left out") }
          continue
        }
        key = k
      }
      // Drum kits play on channel 10 with its default kit, unless the kit is a SoundFont preset (bank 128).
      if c != GeneralMIDI.drumChannel || e.instrument.midiBank == 128 {
        programs[e.track][c] = (UInt8(e.instrument.midiProgram), UInt8(e.instrument.midiBank & 127))
      }
      let on = tick(e.start)
      let off = max(on + 1, tick(e.start + e.duration))
      let velocity = UInt8(e.midiVelocity)
      trackChannels[e.track].insert(c)
      // Order within a tick: note-offs, then a note's controllers, then its note-on.
      perTrack[e.track].append((4 * order + 2, MIDIEvent(tick: on, .noteOn(channel: c, key: key, velocity: velocity))))
      perTrack[e.track].append((4 * order, MIDIEvent(tick: off, .noteOff(channel: c, key: key, velocity: 64))))
      for event in MIDIAutomation.noteEvents(e, channel: c, bendRange: bendRanges[c] ?? 2, ticksPerQuarter: ppq) {
        perTrack[e.track].append((4 * order + (event.isResetAtEnd ? 3 : 1), event.event))
      }
    }
    var tracks = [MIDITrack(events: conductor)]
    for (i, track) in score.tracks.enumerated() {
      var events = [MIDIEvent(tick: 0, .trackName(track.name))]
      for (c, p) in programs[i].sorted(by: { $0.key < $1.key }) {
        // A bank select (MSB) before the program where the preset is not in bank 0 (SoundFont presets).
        if p.bank != 0 { events.append(MIDIEvent(tick: 0, .controlChange(channel: c, controller: 0, value: p.bank))) }
        events.append(MIDIEvent(tick: 0, .programChange(channel: c, program: p.program)))
      }
      events += MIDIAutomation.setup(channels: trackChannels[i], bendRanges: bendRanges)
      perTrack[i] += MIDIAutomation.trackEvents(score, track: i, channels: trackChannels[i], ticksPerQuarter: ppq)
        .map { (-1, $0) }
      // By tick; at one tick note-offs first (a repeated note must end before it starts again), then source order.
      let sorted = perTrack[i].sorted { a, b in
        if a.event.tick != b.event.tick { return a.event.tick < b.event.tick }
        let aOff = a.event.isNoteOff
        let bOff = b.event.isNoteOff
        if aOff != bOff { return aOff }
        return a.order < b.order
      }
      events += sorted.map(\.event)
      tracks.append(MIDITrack(events: events))
    }
    return (MIDIFile(ticksPerQuarter: ppq, tracks: tracks), warnings)
  }

  /// Time signatures (one per meter change, at its bar line's tick) and tempo events, in tick order; at one tick
  /// the time signature comes first, as sequencers write it.
  static func conductorTimeline(
    meters: MeterMap, tempo: [TempoPoint], ticksPerQuarter ppq: UInt16 = ticksPerQuarter
  ) -> [MIDIEvent] {
    let signatures = meters.changes.map {
      MIDIEvent(
        tick: tick($0.beat, ticksPerQuarter: ppq),
        .timeSignature(
          numerator: UInt8($0.meter.numerator), denominatorPower: UInt8($0.meter.denominator.trailingZeroBitCount)))
    }
    let timeline = signatures.map { ($0, 0) } + tempoEvents(tempo, ticksPerQuarter: ppq).map { ($0, 1) }
    return timeline.enumerated()
      .sorted { ($0.element.0.tick, $0.element.1, $0.offset) < ($1.element.0.tick, $1.element.1, $1.offset) }
      .map(\.element.0)
  }

  /// Set-tempo events: one per constant point, steps through ramps, the end tempo after each ramp.
  static func tempoEvents(_ points: [TempoPoint], ticksPerQuarter ppq: UInt16 = ticksPerQuarter) -> [MIDIEvent] {
    func tick(_ beat: BeatTime) -> Int64 { MIDIExport.tick(beat, ticksPerQuarter: ppq) }
    var events: [MIDIEvent] = []
    for p in points {
      guard let ramp = p.ramp else {
        events.append(MIDIEvent(tick: tick(p.beat), .tempo(microsecondsPerQuarter: microseconds(p.beatsPerMinute))))
        continue
      }
      var b = BeatTime.zero
      while b < ramp.beats {
        let e = min(ramp.beats, b + rampStep)
        let seconds = p.secondsInRamp(afterBeats: e.doubleValue) - p.secondsInRamp(afterBeats: b.doubleValue)
        let us = (seconds / (e - b).doubleValue * 1_000_000).rounded()
        events.append(MIDIEvent(tick: tick(p.beat + b), .tempo(microsecondsPerQuarter: UInt32(us))))
        b = e
      }
      events.append(
        MIDIEvent(tick: tick(p.beat + ramp.beats), .tempo(microsecondsPerQuarter: microseconds(ramp.beatsPerMinute))))
    }
    return events
  }

  /// 60,000,000 / bpm rounded half up.
  static func microseconds(_ bpm: BeatTime) -> UInt32 {
    let exact = BeatTime(60_000_000) / bpm
    return UInt32((exact + BeatTime(1, 2)).floor.numerator)
  }
}

extension MIDIEvent {
  var isNoteOff: Bool {
    if case .noteOff = kind { return true }
    return false
  }
}
