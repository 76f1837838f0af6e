import PatternLanguage

/// What each voice kind adds to the shared part of scheduling (`Scheduler.baseVoice`): its kind, its end
/// frame and its own constants. One function per kind; adding a kind means one case here (see README.md).
extension Scheduler {
  /// Whether a configured voice plays, is left out (a hit or zone the instrument lacks), or stops the render.
  enum Configured {
    case play
    case skip
    case fail(Diagnostic)
  }

  static func configure(
    _ v: inout ScheduledVoice, patch: Patch, event e: NoteEvent, sampleRate: Int, limitsOnly: Bool = false
  ) -> Configured {
    switch patch.kind {
    case .oscillator(let wave):
      v.kind = .oscillator(wave)
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .noise(let lowPass):
      v.kind = .noise
      v.cutoffHz = v.frequencyHz * lowPass.cutoffRatio
      v.q = lowPass.q
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .drums:
      return drumHit(&v, patch: patch, event: e, sampleRate: sampleRate, limitsOnly: limitsOnly)
    case .pluck:
      // A string rings at most 6 s, however long the note.
      let off = min(v.noteOffFrame, v.startFrame + frames(6, Double(sampleRate)))
      v.kind = .pluck
      v.endFrame = off + v.releaseFrames
      v.noteOffFrame = off
    case .piano:
      v.kind = .piano
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .synth(let definition):
      v.kind = .synth
      v.synth = SynthPlayback(definition: definition, midi: v.midiNote, sampleRate: Double(sampleRate))
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .sampler(let bank):
      return sampledNote(&v, bank: bank, event: e, sampleRate: sampleRate, limitsOnly: limitsOnly)
    }
    return .play
  }

  /// A kit's hit: a sample played whole at its own pitch, or a synthesised recipe.
  private static func drumHit(
    _ v: inout ScheduledVoice, patch: Patch, event e: NoteEvent, sampleRate: Int, limitsOnly: Bool
  ) -> Configured {
    guard case .hit(let name) = e.note else { return .skip }
    guard let zoneIndex = patch.hitZones[name], let bank = patch.hitSamples else {
      guard let sound = patch.hits[name] ?? DrumSound(rawValue: name) else { return .skip }
      v.kind = .drum(sound)
      v.endFrame = v.startFrame + frames(DrumVoice.lengthSeconds(sound), Double(sampleRate))
      return .play
    }
    guard limitsOnly || bank.isPrepared(for: sampleRate) else {
      return .fail(
        .error("kit '\(e.instrumentName)' was not prepared for \(sampleRate) Hz", at: SourceRange(at: e.location)))
    }
    // A sampled hit: the whole sample at its own pitch, whatever the note's length.
    let zone = bank.zones[zoneIndex]
    v.kind = .sampler
    v.amplitude *= Float(zone.gain)
    v.sample = SamplePlayback(buffer: zone.buffer, increment: 1 << 32, loopStart: 0, loopEnd: 0)
    (v.attackFrames, v.decayFrames, v.sustainLevel, v.levelAtNoteOff) = (0, 0, 1, 1)
    v.endFrame = v.startFrame + sampleFrames(zone.buffer, at: sampleRate, limitsOnly: limitsOnly) + 2
    v.noteOffFrame = v.endFrame
    v.releaseFrames = 1
    return .play
  }

  /// A sampler note: the zone for its key and velocity, played at the note's distance from the zone's root.
  private static func sampledNote(
    _ v: inout ScheduledVoice, bank: SamplerBank, event e: NoteEvent, sampleRate: Int, limitsOnly: Bool
  ) -> Configured {
    guard let zone = bank.zone(note: Int(v.midiNote), velocity: e.velocity) else { return .skip }
    guard limitsOnly || bank.isPrepared(for: sampleRate) else {
      return .fail(
        .error(
          "sampler '\(e.instrumentName)' was not prepared for \(sampleRate) Hz (SamplerBank.prepared)",
          at: SourceRange(at: e.location)))
    }
    let rate = Double(sampleRate)
    v.kind = .sampler
    v.amplitude *= Float(zone.gain)
    // Playback rate: the note's distance from the root (plus fine tune) as a frequency ratio.
    let ratio = DSPMath.exp2Double((v.midiNote - Double(zone.root) + zone.tuneCents / 100) / 12)
    let increment = UInt64((ratio * 4_294_967_296).rounded())
    let loop = zone.loop.map { (UInt64($0.lowerBound) << 32, UInt64($0.upperBound) << 32) }
    v.sample = SamplePlayback(
      buffer: zone.buffer, increment: increment, loopStart: loop?.0 ?? 0, loopEnd: loop?.1 ?? 0,
      pingPong: zone.pingPong)
    v.releaseFrames = max(1, frames(e.envelope.releaseSeconds ?? zone.releaseSeconds, rate))
    // One-shots end with their sample (or the release); loops sound until note-off + release.
    let off = v.noteOffFrame
    let length = sampleFrames(zone.buffer, at: sampleRate, limitsOnly: limitsOnly)
    let sampleEnd = v.startFrame + Int64((Double(length) / ratio).rounded(.up)) + 2
    v.endFrame = zone.loop == nil ? min(sampleEnd, off + v.releaseFrames) : off + v.releaseFrames
    v.levelAtNoteOff = ScheduledVoice.levelBeforeNoteOff(
      offset: off - v.startFrame, attackFrames: v.attackFrames, decayFrames: v.decayFrames,
      sustainLevel: v.sustainLevel)
    return .play
  }

  /// A buffer's length in frames at the render rate: exact once prepared; from its header when only the
  /// limits are checked (a conversion's length differs by a few frames at most).
  private static func sampleFrames(_ buffer: SampleBuffer, at rate: Int, limitsOnly: Bool) -> Int64 {
    guard limitsOnly, buffer.sampleRate != rate else { return Int64(limitsOnly ? buffer.count : buffer.frames.count) }
    return Int64((Double(buffer.count) * Double(rate) / Double(buffer.sampleRate)).rounded(.up))
  }
}
