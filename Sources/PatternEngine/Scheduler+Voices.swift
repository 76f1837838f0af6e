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
      if let control = v.control {
        // A note with its own filter or moving pitch plays as a one-oscillator synth (the same oscillator;
        // the filter's envelope is the note's amplitude envelope).
        v.kind = .synth
        v.synth = SynthPlayback(
          definition: SynthDefinition(oscillators: [SynthOscillator(wave: wave)], filter: nil), midi: v.midiNote,
          sampleRate: Double(sampleRate), control: control, envelope: patch.envelope)
      }
    case .noise(let lowPass):
      v.kind = .noise
      v.cutoffHz = v.control?.cutoffHz(0) ?? v.frequencyHz * lowPass.cutoffRatio
      v.q = v.control?.q(0) ?? lowPass.q
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .drums:
      return drumHit(&v, patch: patch, event: e, sampleRate: sampleRate, limitsOnly: limitsOnly)
    case .pluck:
      // A string rings at most 6 s, however long the note.
      let off = min(v.noteOffFrame, v.startFrame + frames(6, Double(sampleRate)))
      v.kind = .pluck
      v.endFrame = off + v.releaseFrames
      v.noteOffFrame = off
      v.levelAtNoteOff = v.levelIfHeld(at: off)
    case .piano:
      v.kind = .piano
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .grand:
      v.kind = .grand
      // A grand's top octaves have no dampers: released notes ring on with the string's own decay.
      if v.midiNote >= 89 {
        v.releaseFrames = max(v.releaseFrames, frames(GrandVoice.t60(v.midiNote), Double(sampleRate)))
      }
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .synth(let definition):
      v.kind = .synth
      v.synth = SynthPlayback(
        definition: definition, midi: v.midiNote, sampleRate: Double(sampleRate), control: v.control,
        envelope: patch.envelope)
      v.endFrame = v.noteOffFrame + v.releaseFrames
    case .sampler:
      return .skip  // `Scheduler.sampledNotes`: a note may sound several zones
    }
    return .play
  }

  /// The recipe a kit's hit `name` is synthesised from; nil when the kit plays a sample for it (or has no such hit).
  static func synthesizedHit(_ name: String, of patch: Patch) -> DrumSound? {
    if patch.hitZones[name] != nil && patch.hitSamples != nil { return nil }
    return patch.hits[name] ?? DrumSound(rawValue: name)
  }

  /// A kit's hit: a sample played whole at its own pitch, or a synthesised recipe.
  private static func drumHit(
    _ v: inout ScheduledVoice, patch: Patch, event e: NoteEvent, sampleRate: Int, limitsOnly: Bool
  ) -> Configured {
    guard case .hit(let name) = e.note else { return .skip }
    v.pan = patch.hitPans[name] ?? 0
    if let group = patch.chokeGroups[name] { (v.chokeGroup, v.chokedBy) = (group, group) }
    guard let zoneIndex = patch.hitZones[name], let bank = patch.hitSamples else {
      guard let sound = synthesizedHit(name, of: patch) else { return .skip }
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
    v.sample = SamplePlayback(
      frames: limitsOnly ? [] : zone.buffer.frames, increment: 1 << 32, end: .max, loopStart: 0, loopEnd: 0)
    (v.attackFrames, v.decayFrames, v.sustainLevel, v.levelAtNoteOff) = (0, 0, 1, 1)
    v.endFrame = v.startFrame + sampleFrames(zone.buffer, at: sampleRate, limitsOnly: limitsOnly) + 2
    v.noteOffFrame = v.endFrame
    v.releaseFrames = 1
    return .play
  }

  /// A buffer's length in frames at the render rate: exact once prepared; from its header when only the
  /// limits are checked (a conversion's length differs by a few frames at most).
  static func sampleFrames(_ buffer: SampleBuffer, at rate: Int, limitsOnly: Bool) -> Int64 {
    guard limitsOnly, buffer.sampleRate != rate else { return Int64(limitsOnly ? buffer.count : buffer.frames.count) }
    return Int64((Double(buffer.count) * Double(rate) / Double(buffer.sampleRate)).rounded(.up))
  }
}
