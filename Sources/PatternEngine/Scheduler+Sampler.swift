import PatternLanguage

/// Sampler notes: every zone a note sounds becomes a voice (one for a JSON instrument; layers, stereo halves
/// and release samples for SF2 and SFZ), with the zone's envelope, filter, modulation, pan and choke.
extension Scheduler {
  /// A located failure (a bank not prepared for the render rate).
  struct SamplerFailure: Error {
    var diagnostic: Diagnostic
  }

  static func sampledNotes(
    _ base: ScheduledVoice, bank: SamplerBank, event e: NoteEvent, draw: Double, counters: inout [Int],
    sampleRate: Int, limitsOnly: Bool
  ) -> Result<[ScheduledVoice], SamplerFailure> {
    guard limitsOnly || bank.isPrepared(for: sampleRate) else {
      return .failure(
        SamplerFailure(
          diagnostic: .error(
            "sampler '\(e.instrumentName)' was not prepared for \(sampleRate) Hz (SamplerBank.prepared)",
            at: SourceRange(at: e.location))))
    }
    let key = Int(base.midiNote)
    let zones = bank.zones
    var voices: [ScheduledVoice] = []
    for release in [false, true] {
      for index in bank.zonesToPlay(
        note: key, velocity: e.velocity, release: release, draw: draw, counters: &counters)
      {
        var v = base
        let zone = zones[index]
        if release {
          // A release sample starts at note-off, quieter by rt_decay × the note's length, and plays whole.
          let seconds = Double(base.noteOffFrame - base.startFrame) / Double(sampleRate)
          v.amplitude *= Float(DSPMath.gain(decibels: -zone.releaseDecayDbPerSecond * seconds))
          v.startFrame = base.noteOffFrame
        }
        zoneVoice(&v, zone: zone, event: e, release: release, sampleRate: sampleRate, limitsOnly: limitsOnly)
        voices.append(v)
      }
    }
    return .success(voices)
  }

  /// Turns the base voice into the zone's sampler voice.
  private static func zoneVoice(
    _ v: inout ScheduledVoice, zone: SampleZone, event e: NoteEvent, release: Bool, sampleRate: Int, limitsOnly: Bool
  ) {
    let rate = Double(sampleRate)
    v.kind = .sampler
    if let table = zone.velocityGain {
      // The zone's own velocity curve replaces the library's (amplitude ∝ velocity).
      let velocity = e.velocity > 0 ? Float(e.velocity) : 1
      v.amplitude = v.amplitude / velocity * table[SampleZone.midiVelocity(e.velocity)]
    }
    v.amplitude *= Float(zone.gain)
    v.pan = zone.pan
    (v.chokeGroup, v.chokedBy) = (zone.chokeGroup, zone.chokedBy)
    // Playback rate: the note's distance from the root (scaled by key tracking, plus fine tune) as a ratio.
    let cents = (v.midiNote - Double(zone.root)) * zone.keyTrack * 100 + zone.tuneCents
    // A zone played at its own rate moves through its buffer faster or slower by the rate ratio.
    let rateRatio = zone.nativeRate ? Double(zone.buffer.sampleRate) / rate : 1
    // Clamped to 16 octaves either way: extreme key tracking or a hostile sample rate cannot overflow the
    // 32.32 read increment or the end frame.
    let ratio = min(65_536, max(1.0 / 65_536, DSPMath.exp2Double(max(-19_200, min(19_200, cents)) / 1200) * rateRatio))
    let increment = UInt64((ratio * 4_294_967_296).rounded())
    // The note's rate, bend or glide at their slowest decide how long the sample can last; `start=` skips in.
    let playRatio = ratio * (v.control?.slowestRatio ?? 1)
    // Frames of the buffer at the rate it is read at (a JSON zone's converted length when only limits are checked).
    let bufferFrames =
      zone.nativeRate ? zone.buffer.count : Int(sampleFrames(zone.buffer, at: sampleRate, limitsOnly: limitsOnly))
    var range = zone.playRange ?? 0..<bufferFrames
    if let share = e.expression.sampleStart, share > 0 {
      let skip = Int((Double(range.count) * share).rounded(.down))
      range = min(range.upperBound, range.lowerBound + skip)..<range.upperBound
    }
    let loop = zone.loop.map { (UInt64($0.lowerBound) << 32, UInt64($0.upperBound) << 32) }
    v.sample = SamplePlayback(
      frames: limitsOnly ? [] : zone.buffer.frames, increment: increment, start: UInt64(range.lowerBound) << 32,
      end: range.upperBound,
      loopStart: loop?.0 ?? 0, loopEnd: loop?.1 ?? 0, pingPong: zone.pingPong, loopUntilRelease: zone.loopUntilRelease,
      modulation: modulation(zone, event: e, midi: v.midiNote, rate: rate, control: v.control))
    // Frames until the sample runs out (at this playback rate), from the note's start.
    let available = max(0, min(range.upperBound, bufferFrames) - range.lowerBound)
    let sampleEnd = v.startFrame + Int64((Double(available) / playRatio).rounded(.up)) + 2
    if release || zone.oneShot {
      // Plays whole: note-off comes with the sample's end. A release sample plays once even if its zone
      // loops (a loop would hold it at its start, silent).
      if release {
        v.sample?.loopStart = 0
        v.sample?.loopEnd = 0
      }
      v.noteOffFrame = zone.loop == nil || release ? sampleEnd : v.noteOffFrame
    }
    if let env = zone.envelope {
      applyEnvelope(&v, env: env, overrides: e.envelope, rate: rate)
    } else {
      v.releaseFrames = max(1, frames(e.envelope.releaseSeconds ?? zone.releaseSeconds, rate))
      v.levelAtNoteOff = v.levelIfHeld(at: v.noteOffFrame)
    }
    let off = v.noteOffFrame
    // One-shots end with their sample (or the release); loops sound until note-off + release.
    var lastFrame = sampleEnd
    if let loop = zone.loop, zone.loopUntilRelease {
      // Looping until note-off, then on to the end: at most the part after the loop start is left to play.
      lastFrame = max(sampleEnd, off + Int64((Double(range.upperBound - loop.lowerBound) / ratio).rounded(.up)) + 2)
    }
    let looping = zone.loop != nil && !zone.loopUntilRelease && !release
    v.endFrame = looping ? off + v.releaseFrames : min(lastFrame, off + v.releaseFrames)
  }

  /// The zone's volume envelope in frames, with the note's own attack/decay/sustain/release overrides. A
  /// decibel-linear decay falls to the sustain level at the zone's rate; a decibel-linear release falls from
  /// the level at note-off at the zone's rate (so a quieter note-off releases sooner, as in FluidSynth).
  /// Both are drawn in straight pieces of 3 dB (an amplitude-linear piece of an exponential lies at most
  /// 0.13 dB above it).
  private static func applyEnvelope(
    _ v: inout ScheduledVoice, env zoneEnvelope: SamplerEnvelope, overrides o: EnvelopeOverride, rate: Double
  ) {
    var env = zoneEnvelope
    if let a = o.attackSeconds { env.attack = a }
    if let d = o.decaySeconds { env.decay = d }
    if let s = o.sustainLevel { env.sustain = s }
    if let r = o.releaseSeconds { env.release = r }
    let sustain = max(0, min(1, env.sustain))
    v.delayFrames = frames(env.delay, rate)
    v.attackFrames = frames(env.attack, rate)
    // Key tracking (SF2): higher keys hold and decay shorter for positive timecents per key.
    let key = v.midiNote
    v.holdFrames = frames(env.hold * DSPMath.exp2Double(env.holdKeyTrackTimecents * (60 - key) / 1200), rate)
    env.decay *= DSPMath.exp2Double(env.decayKeyTrackTimecents * (60 - key) / 1200)
    v.sustainLevel = Float(sustain)
    v.decayFrames = frames(env.decay, rate)
    v.decayCurve = .standard
    if let d = env.decayDecibels, d > 0 {
      let sustainDb = sustain > 0 ? 20 * DSPMath.log10(sustain) : -d
      let fall = min(d, -sustainDb)
      v.decayFrames = sustain >= 1 ? 0 : frames(env.decay * fall / d, rate)
      let pieces = max(1, Int64((fall / 3).rounded(.up)))
      v.decayCurve = FallCurve(
        pieces: pieces, ratio: Float(DSPMath.gain(decibels: -fall / Double(pieces))), decibelLinear: true)
    }
    v.levelAtNoteOff = v.levelIfHeld(at: v.noteOffFrame)
    v.releaseFrames = max(1, frames(env.release, rate))
    v.releaseCurve = .standard
    if let d = env.releaseDecibels, d > 0 {
      let level = Double(v.levelAtNoteOff)
      let remaining = level > 0 ? max(0, d + 20 * DSPMath.log10(level)) : 0
      v.releaseFrames = max(1, frames(env.release * remaining / d, rate))
      let pieces = max(1, Int64((remaining / 3).rounded(.up)))
      v.releaseCurve = FallCurve(pieces: pieces, ratio: Float(DSPMath.gain(decibels: -remaining / Double(pieces))))
    }
  }

  /// The zone's filter and modulation in frames (nil when nothing moves and there is no filter).
  private static func modulation(
    _ zone: SampleZone, event e: NoteEvent, midi: Double, rate: Double, control: NoteControl?
  ) -> SamplerModulationPlayback? {
    let m = zone.modulation ?? SamplerModulation()
    guard zone.filter != nil || !m.isSilent || control != nil else { return nil }
    let frames = { (s: Double) in Scheduler.frames(s, rate) }
    func lfo(_ l: SamplerLFO) -> ControlLFO {
      ControlLFO(
        sine: l.sine, delay: frames(l.delay),
        increment: UInt32(truncatingIfNeeded: Int64((l.frequencyHz / rate * 4_294_967_296).rounded())),
        toPitchCents: l.toPitchCents, toFilterCents: l.toFilterCents, toVolumeDecibels: l.toVolumeDecibels)
    }
    var cutoff: Double? = nil
    if let f = zone.filter {
      var cents = f.keyTrackCents * (midi - 60)
      if let table = f.velocityCents { cents += Double(table[SampleZone.midiVelocity(e.velocity)]) }
      cutoff = f.cutoffHz * DSPMath.exp2Double(cents / 1200)
    }
    if cutoff == nil, control?.wantsFilter == true { cutoff = 2000 }
    let env = m.envelope
    return SamplerModulationPlayback(
      envelope: ControlEnvelope(
        delay: frames(env.delay), attack: frames(env.attack), hold: frames(env.hold), decay: frames(env.decay),
        release: max(1, frames(env.release)), sustain: env.sustain),
      envelopeToPitchCents: m.envelopeToPitchCents,
      envelopeToFilterCents: control?.filterEnvelopeOctaves.map { $0 * 1200 } ?? m.envelopeToFilterCents,
      vibrato: lfo(m.vibrato), lfo: lfo(m.lfo), cutoffHz: cutoff,
      q: zone.filter?.q ?? 0.707,
      sampleRate: rate,
      movesPitch: m.envelopeToPitchCents != 0 || m.vibrato.toPitchCents != 0 || m.lfo.toPitchCents != 0
        || control?.movesPitch == true,
      control: control)
  }
}
