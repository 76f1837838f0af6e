import PatternLanguage

/// Automation as General MIDI controllers, sampled every `MIDIExport.rampStep` (1/16 beat) where the value
/// moves and written only when the 7-bit (or 14-bit) value changes:
///
/// - track `gain=` → CC7 (volume) on every channel the track plays, with GM's curve dB = 40·log10(v/127);
/// - track `pan=` → CC10, 0 … 127 with 64 at the centre;
/// - `send BUS=` where the bus's first effect is a reverb → CC91 (reverb send), the same curve as CC7;
/// - a note's `cutoff=` → CC74 (brightness), log-spaced 20 Hz … 20 kHz over 0 … 127, on its channel;
/// - a note's `bend=` → pitch bend on its channel, with the channel's bend range (RPN 0) set at the start to
///   the largest bend it plays (2 … 24 semitones), back to the centre at the note's end.
///
/// A channel is shared by the notes of one instrument, so overlapping notes with different cutoffs or bends
/// share one controller (MIDI has no per-note controllers in GM); `glide=` has no GM equivalent and is not
/// written.
enum MIDIAutomation {
  /// A note's controller event, and whether it is the reset written at the note's end.
  struct NoteEvent {
    var event: MIDIEvent
    var isResetAtEnd: Bool
  }

  /// CC7/CC91 value for a gain in dB (GM: dB = 40·log10(v/127)).
  static func volume(_ decibels: Double) -> UInt8 {
    UInt8(max(0, min(127, (127 * AutomationMath.exp2(decibels / 40 * 3.321_928_094_887_362_3)).rounded())))
  }

  static func pan(_ p: Double) -> UInt8 { UInt8(max(0, min(127, (64 + 63.5 * p).rounded(.down)))) }

  static func brightness(_ hz: Double) -> UInt8 {
    UInt8(max(0, min(127, (127 * AutomationMath.log2(max(20, hz) / 20) / AutomationMath.log2(1000)).rounded())))
  }

  /// The bend range (semitones, 2 … 24) each channel needs: the largest |bend| its notes reach.
  static func bendRanges(_ score: Score, channel: (PatternLanguage.NoteEvent) -> UInt8) -> [UInt8: Int] {
    var ranges: [UInt8: Int] = [:]
    for e in score.events where e.velocity > 0 {
      // Every note asks for its channel, in score order: channels keep the order of first use.
      let c = channel(e)
      guard let bend = e.expression.bend else { continue }
      var extreme = bend.points.map { abs($0.value) }.max() ?? 0
      if let lfo = bend.lfo { extreme += lfo.depth }
      ranges[c] = max(ranges[c] ?? 2, min(24, Int(extreme.rounded(.up))))
    }
    return ranges
  }

  /// RPN 0 (pitch-bend sensitivity) for each channel that bends, at tick 0.
  static func setup(channels: Set<UInt8>, bendRanges: [UInt8: Int]) -> [MIDIEvent] {
    channels.sorted().compactMap { c in bendRanges[c].map { (c, $0) } }.flatMap { c, range in
      [(101, 0), (100, 0), (6, UInt8(range)), (38, 0), (101, 127), (100, 127)].map {
        MIDIEvent(tick: 0, .controlChange(channel: c, controller: UInt8($0.0), value: $0.1))
      }
    }
  }

  /// The most samples one curve gets: past this the step grows, so a fast LFO over a very long song cannot
  /// fill the file (4,096 samples is 256 beats at the usual 1/16).
  static let maxSamples: Int64 = 4096

  /// Samples `automation` from `from` to `to` (beats), one value per step (1/16 beat, longer over very long
  /// spans), emitting changes only.
  private static func sample<T: Equatable>(
    _ automation: Automation, from: BeatTime, to: BeatTime, ticksPerQuarter: UInt16, _ value: (Double) -> T,
    _ emit: (Int64, T) -> Void
  ) {
    var step = MIDIExport.rampStep
    let steps = ((to - from) / step).floor.numerator
    if steps > maxSamples { step = (to - from) / BeatTime(maxSamples) }
    var last: T?
    var b = from
    while true {
      let v = value(automation.value(atBeat: b.doubleValue))
      if v != last {
        emit(MIDIExport.tick(b, ticksPerQuarter: ticksPerQuarter), v)
        last = v
      }
      if b >= to { break }
      b = min(to, b + step)
    }
  }

  /// A track's CC7, CC10 and CC91 curves on each of its channels.
  static func trackEvents(
    _ score: Score, track index: Int, channels: Set<UInt8>, ticksPerQuarter: UInt16 = MIDIExport.ticksPerQuarter
  ) -> [MIDIEvent] {
    let track = score.tracks[index]
    let songEnd = score.events.map { $0.start + $0.duration }.max() ?? .zero
    var curves: [(Automation, UInt8, (Double) -> UInt8)] = []
    if let gain = track.gainAutomation { curves.append((gain, 7, volume)) }
    if let pan = track.panAutomation { curves.append((pan, 10, pan(_:))) }
    // CC91 is one controller: the first moving send to a bus that starts with a reverb.
    if let send = track.sends.first(where: {
      $0.automation != nil && score.buses[$0.bus].effects.first?.kind == .reverb
    }),
      let a = send.automation
    {
      curves.append((a, 91, volume))
    }
    var events: [MIDIEvent] = []
    for (automation, controller, map) in curves {
      let span = automation.changes.map { (min($0.first, songEnd), min($0.last, songEnd)) } ?? (.zero, .zero)
      // Sampled once, written on each channel; the value before the curve moves goes at the song's start.
      var points: [(Int64, UInt8)] = span.0 > .zero ? [(Int64(0), map(automation.value(atBeat: 0)))] : []
      sample(automation, from: span.0, to: span.1, ticksPerQuarter: ticksPerQuarter, map) { points.append(($0, $1)) }
      for c in channels.sorted() {
        events += points.map { MIDIEvent(tick: $0.0, .controlChange(channel: c, controller: controller, value: $0.1)) }
      }
    }
    return events
  }

  /// A note's CC74 and pitch-bend curves over its length (a bend returns to the centre at its end).
  static func noteEvents(
    _ e: PatternLanguage.NoteEvent, channel c: UInt8, bendRange: Int,
    ticksPerQuarter: UInt16 = MIDIExport.ticksPerQuarter
  ) -> [NoteEvent] {
    var events: [NoteEvent] = []
    let end = e.start + e.duration
    if let cutoff = e.expression.cutoff {
      sample(cutoff, from: e.start, to: end, ticksPerQuarter: ticksPerQuarter, brightness) { tick, v in
        events.append(
          NoteEvent(
            event: MIDIEvent(tick: tick, .controlChange(channel: c, controller: 74, value: v)), isResetAtEnd: false))
      }
    }
    if let bend = e.expression.bend {
      let map = { (s: Double) -> UInt16 in
        UInt16(max(0, min(16383, (8192 + 8191 * s / Double(bendRange)).rounded())))
      }
      sample(bend, from: e.start, to: end, ticksPerQuarter: ticksPerQuarter, map) { tick, v in
        events.append(NoteEvent(event: MIDIEvent(tick: tick, .pitchBend(channel: c, value: v)), isResetAtEnd: false))
      }
      events.append(
        NoteEvent(
          event: MIDIEvent(
            tick: MIDIExport.tick(end, ticksPerQuarter: ticksPerQuarter), .pitchBend(channel: c, value: 8192)),
          isResetAtEnd: true)
      )
    }
    return events
  }
}
