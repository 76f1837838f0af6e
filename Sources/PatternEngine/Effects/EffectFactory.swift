import PatternLanguage

/// Turns a checked `EffectSpec` into its engine effect, for a sample rate and a song's opening tempo (delay
/// times are in beats).
enum EffectFactory {
  static func make(_ spec: EffectSpec, sampleRate: Int, secondsPerBeat: Double) -> any MixEffect {
    let fs = Double(sampleRate)
    let v = spec.value
    switch spec.kind {
    case .reverb:
      return Reverb(
        decay: v("decay"), predelay: v("predelay"), damp: v("damp"), size: v("size"), width: v("width"),
        sampleRate: sampleRate)
    case .delay:
      return DelayEffect(
        seconds: min(10, v("time") * secondsPerBeat), feedback: v("feedback"), damp: v("damp"),
        pingPong: v("pingpong") >= 0.5, sampleRate: sampleRate)
    case .eq:
      var c: [BiquadCoefficients] = []
      if v("hp") > 0 { c.append(.highPass(hz: v("hp"), q: v("hpq"), sampleRate: fs)) }
      if v("low") != 0 { c.append(.lowShelf(hz: v("lowfreq"), gainDecibels: v("low"), sampleRate: fs)) }
      for band in ["mid3", "mid", "mid2"] where v(band) != 0 {
        c.append(.peak(hz: v(band + "freq"), gainDecibels: v(band), q: v(band + "q"), sampleRate: fs))
      }
      if v("high") != 0 { c.append(.highShelf(hz: v("highfreq"), gainDecibels: v("high"), sampleRate: fs)) }
      if v("lp") > 0 { c.append(.lowPass(hz: v("lp"), q: v("lpq"), sampleRate: fs)) }
      return FilterChain(c, sampleRate: sampleRate)
    case .hp: return FilterChain([.highPass(hz: v("freq"), q: v("q"), sampleRate: fs)], sampleRate: sampleRate)
    case .lp: return FilterChain([.lowPass(hz: v("freq"), q: v("q"), sampleRate: fs)], sampleRate: sampleRate)
    case .peak:
      return FilterChain(
        [.peak(hz: v("freq"), gainDecibels: v("gain"), q: v("q"), sampleRate: fs)], sampleRate: sampleRate)
    case .lowshelf:
      return FilterChain([.lowShelf(hz: v("freq"), gainDecibels: v("gain"), sampleRate: fs)], sampleRate: sampleRate)
    case .highshelf:
      return FilterChain([.highShelf(hz: v("freq"), gainDecibels: v("gain"), sampleRate: fs)], sampleRate: sampleRate)
    case .comp:
      return Compressor(
        threshold: v("threshold"), ratio: v("ratio"), knee: v("knee"), attack: v("attack"), release: v("release"),
        makeup: v("makeup"), sampleRate: sampleRate)
    case .drive: return Drive(amount: v("amount"), sampleRate: sampleRate)
    case .chorus: return Chorus(rate: v("rate"), depth: v("depth"), sampleRate: sampleRate)
    case .limit: return TruePeakLimiter(ceiling: v("ceiling"), release: v("release"), sampleRate: sampleRate)
    }
  }
}
