import PatternLanguage

extension EffectSlot {
  /// The slots of one effect chain of `score` (a track's inserts, a bus, the master), each with its tail and
  /// its automation on the song's tempo map: one construction for the mix graph and `MasterChain`.
  static func chain(
    _ specs: [EffectSpec], score: Score, sampleRate: Int, tile: Int, tempo: TempoMap? = nil
  ) -> [EffectSlot] {
    let secondsPerBeat = 60 / (score.tempo.first?.beatsPerMinute.doubleValue ?? 60)
    let tempo = tempo ?? TempoMap(score.tempo, sampleRate: sampleRate)
    return specs.map { spec in
      let effect = EffectFactory.make(spec, sampleRate: sampleRate, secondsPerBeat: secondsPerBeat)
      let slot = EffectSlot(
        effect: effect, mix: spec.mix, keyTrack: spec.key, tileFrames: tile, values: spec.values,
        automations: spec.automations.map { ($0.parameter, AutomationCurve($0.automation, tempo: tempo)) })
      slot.tail = EffectFactory.tailFrames(spec, effect: effect, sampleRate: sampleRate, secondsPerBeat: secondsPerBeat)
      return slot
    }
  }
}
