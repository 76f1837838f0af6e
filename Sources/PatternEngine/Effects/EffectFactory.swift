import PatternLanguage

/// Turns a checked `EffectSpec` into its engine effect, for a sample rate and a song's opening tempo (delay
/// times are in beats).
enum EffectFactory {
  static func make(_ spec: EffectSpec, sampleRate: Int, secondsPerBeat: Double) -> any MixEffect {
    let fs = Double(sampleRate)
    let v = spec.value
    let moving = Set(spec.automations.map(\.parameter))
    func filters(_ design: @escaping FilterChain.Design) -> FilterChain {
      var sections: [BiquadCoefficients] = []
      design(spec.values) { _, c in sections.append(c) }
      return FilterChain(sections, sampleRate: sampleRate, design: moving.isEmpty ? nil : design)
    }
    switch spec.kind {
    case .reverb:
      return Reverb(
        decay: v("decay"), predelay: v("predelay"), damp: v("damp"), size: v("size"), width: v("width"),
        sampleRate: sampleRate)
    case .delay:
      let longest = moving.contains(0) ? extreme(spec, highest: true).value("time") * secondsPerBeat : nil
      return DelayEffect(
        seconds: min(10, v("time") * secondsPerBeat), feedback: v("feedback"), damp: v("damp"),
        pingPong: v("pingpong") >= 0.5, sampleRate: sampleRate, longest: longest.map { min(10, $0) },
        secondsPerBeat: secondsPerBeat)
    case .eq: return filters(eqDesign(spec, moving: moving, fs: fs))
    case .hp: return filters { x, emit in emit(0, .highPass(hz: x[0], q: x[1], sampleRate: fs)) }
    case .lp: return filters { x, emit in emit(0, .lowPass(hz: x[0], q: x[1], sampleRate: fs)) }
    case .peak: return filters { x, emit in emit(0, .peak(hz: x[0], gainDecibels: x[1], q: x[2], sampleRate: fs)) }
    case .lowshelf: return filters { x, emit in emit(0, .lowShelf(hz: x[0], gainDecibels: x[1], sampleRate: fs)) }
    case .highshelf: return filters { x, emit in emit(0, .highShelf(hz: x[0], gainDecibels: x[1], sampleRate: fs)) }
    case .comp:
      return Compressor(
        threshold: v("threshold"), ratio: v("ratio"), knee: v("knee"), attack: v("attack"), release: v("release"),
        makeup: v("makeup"), sampleRate: sampleRate)
    case .drive: return Drive(amount: v("amount"), sampleRate: sampleRate)
    case .chorus: return Chorus(rate: v("rate"), depth: v("depth"), sampleRate: sampleRate)
    case .limit: return TruePeakLimiter(ceiling: v("ceiling"), release: v("release"), sampleRate: sampleRate)
    }
  }

  /// The eq's sections: each band that is on (or moves) in a fixed order — high-pass, low shelf, the three
  /// peaks, high shelf, low-pass — so moving values change coefficients, never the number of sections. A band
  /// that moves through 0 dB is exactly flat there (RBJ peaks and shelves with A = 1 have b = a).
  private static func eqDesign(_ spec: EffectSpec, moving: Set<Int>, fs: Double) -> FilterChain.Design {
    let names = spec.kind.parameters.map(\.name)
    func index(_ n: String) -> Int { names.firstIndex(of: n)! }
    func on(_ band: String, _ related: [String]) -> Bool {
      spec.value(band) != 0 || ([band] + related).contains { moving.contains(index($0)) }
    }
    // A pass filter is on only when its own frequency is (a moving q alone would build a filter at 0 Hz).
    let hp = on("hp", []) ? (index("hp"), index("hpq")) : nil
    let low = on("low", ["lowfreq"]) ? (index("low"), index("lowfreq")) : nil
    // Indices resolved here, so the design itself does no string work on the audio path.
    let mids = ["mid3", "mid", "mid2"].filter { on($0, [$0 + "freq", $0 + "q"]) }.map {
      (index($0), index($0 + "freq"), index($0 + "q"))
    }
    let high = on("high", ["highfreq"]) ? (index("high"), index("highfreq")) : nil
    let lp = on("lp", []) ? (index("lp"), index("lpq")) : nil
    return { x, emit in
      var n = 0
      if let (f, q) = hp {
        emit(n, .highPass(hz: x[f], q: x[q], sampleRate: fs))
        n += 1
      }
      if let (g, f) = low {
        emit(n, .lowShelf(hz: x[f], gainDecibels: x[g], sampleRate: fs))
        n += 1
      }
      for (g, f, q) in mids {
        emit(n, .peak(hz: x[f], gainDecibels: x[g], q: x[q], sampleRate: fs))
        n += 1
      }
      if let (g, f) = high {
        emit(n, .highShelf(hz: x[f], gainDecibels: x[g], sampleRate: fs))
        n += 1
      }
      if let (f, q) = lp { emit(n, .lowPass(hz: x[f], q: x[q], sampleRate: fs)) }
    }
  }

  /// The spec with every moving parameter at the highest (or lowest) value its automation reaches.
  static func extreme(_ spec: EffectSpec, highest: Bool) -> EffectSpec {
    var s = spec
    for a in spec.automations where a.parameter >= 0 {
      let auto = a.automation
      var values = auto.points.map(\.value)
      if let lfo = auto.lfo {
        let c = values
        values = c.flatMap { x in
          auto.scale == .octaves
            ? [x * AutomationMath.exp2(lfo.depth), x * AutomationMath.exp2(-lfo.depth)]
            : [x + lfo.depth, x - lfo.depth]
        }
      }
      let pick = (highest ? values.max() : values.min()) ?? s.values[a.parameter]
      s.values[a.parameter] = min(max(pick, auto.range.lowerBound), auto.range.upperBound)
    }
    s.automations = []
    return s
  }

  /// How long an effect may ring after its input stops: the longest of its values now and the extremes its
  /// automation reaches (a bound, so the render's length is known before it starts).
  static func tailFrames(_ spec: EffectSpec, effect: any MixEffect, sampleRate: Int, secondsPerBeat: Double) -> Int64 {
    guard !spec.automations.isEmpty else { return effect.tailFrames }
    return [true, false].reduce(effect.tailFrames) { longest, highest in
      max(
        longest,
        make(extreme(spec, highest: highest), sampleRate: sampleRate, secondsPerBeat: secondsPerBeat).tailFrames)
    }
  }
}
