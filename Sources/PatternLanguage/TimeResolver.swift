/// Turns written times into beats: plain beats, `bar:beat` through a meter map, and `euclid(…)` and
/// `arp(…) step … at … for …` onsets.
struct TimeResolver {
  /// The bars `bar:beat` counts: the song's map at the top level, one meter from 0 in a section or motif.
  var meters: MeterMap
  var limits: LanguageLimits = .default

  init(meters: MeterMap, limits: LanguageLimits = .default) {
    self.meters = meters
    self.limits = limits
  }

  /// Bars of one meter from beat 0.
  init(meter: Meter, limits: LanguageLimits = .default) {
    self.init(meters: MeterMap(meter), limits: limits)
  }

  /// A time that names one moment. `euclid(…)` is an error here (it names several).
  func single(_ time: TimeExpr, _ diagnostics: inout [Diagnostic]) -> BeatTime? {
    switch time {
    case .beats(let n): return n.value
    case .barBeat(let bar, let beat, _): return barBeat(bar, beat, &diagnostics)
    case .euclid(let e):
      diagnostics.append(
        .error("euclid(…) gives several times; only a note statement can use it", at: e.range, hint: "at 0"))
      return nil
    case .run(let r):
      diagnostics.append(.error("step … for … gives several times; only an arp can use it", at: r.range, hint: "at 0"))
      return nil
    case .cycles(let c):
      diagnostics.append(.error("over … cycles … belongs to a string's notes", at: c.range, hint: "at 0"))
      return nil
    }
  }

  /// `step S at T for L`: T, T + S, … while less than L beats after T.
  private func run(_ r: RunSpec, _ diagnostics: inout [Diagnostic]) -> [BeatTime]? {
    guard r.step.value > .zero else {
      diagnostics.append(.error("the step must be longer than 0 beats", at: r.step.range, hint: "step 1/8"))
      return nil
    }
    guard r.length.value > .zero else {
      diagnostics.append(.error("an arp must last longer than 0 beats", at: r.length.range, hint: "for 4"))
      return nil
    }
    let count = (r.length.value / r.step.value).ceiling
    guard count <= BeatTime(Int64(limits.maxArpNotes)) else {
      diagnostics.append(
        .error(
          "an arp of \(count) notes; the limit is \(limits.maxArpNotes)", at: r.length.range,
          hint: "use a longer step, or repeat a shorter arp"))
      return nil
    }
    guard let start = single(r.at, &diagnostics) else { return nil }
    return (0..<count.numerator).map { start + BeatTime($0) * r.step.value }
  }

  /// The onsets a statement's time gives: one, or a Euclidean rhythm's (or an arp's run).
  func onsets(_ time: TimeExpr, _ diagnostics: inout [Diagnostic]) -> Onsets? {
    if case .run(let r) = time { return run(r, &diagnostics).map(Onsets.many) }
    guard case .euclid(let e) = time else { return single(time, &diagnostics).map(Onsets.one) }
    let steps = e.steps.value.numerator
    let pulses = e.pulses.value.numerator
    guard steps >= 1, steps <= limits.maxEuclidSteps else {
      diagnostics.append(
        .error(
          "euclid needs 1 … \(limits.maxEuclidSteps) steps", at: e.steps.range, hint: "euclid(3,8) step 1/4 at 0"))
      return nil
    }
    guard pulses >= 0, e.pulses.value.denominator == 1, e.steps.value.denominator == 1 else {
      diagnostics.append(
        .error("euclid's pulses and steps are whole numbers ≥ 0", at: e.pulses.range, hint: "euclid(3,8) step 1/4 at 0")
      )
      return nil
    }
    guard pulses <= steps else {
      diagnostics.append(
        .error(
          "euclid(\(pulses),\(steps)) has more pulses than steps", at: e.pulses.range,
          hint: "pulses are 0 … \(steps)"))
      return nil
    }
    guard e.step.value > .zero else {
      diagnostics.append(.error("the step must be longer than 0 beats", at: e.step.range, hint: "step 1/4"))
      return nil
    }
    guard let start = single(e.at, &diagnostics) else { return nil }
    // A rotation is taken modulo the steps (a negative one turns the other way), so any whole number works.
    guard e.rotation.map({ $0.value.denominator == 1 }) ?? true else {
      diagnostics.append(
        .error("the rotation is a whole number of steps", at: e.rotation!.range, hint: "euclid(3,8,2)"))
      return nil
    }
    let turns = (e.rotation?.value.numerator ?? 0) % steps
    let rotation = Int(turns < 0 ? turns + steps : turns)
    return .many(
      Euclid.onsets(pulses: Int(pulses), steps: Int(steps), rotation: rotation).map {
        start + BeatTime(Int64($0)) * e.step.value
      })
  }

  /// `bar:beat`, both counted from 1: bar 1 beat 1 is beat 0. Bars are counted through the meter map, so
  /// after a change they are bars of the new meter.
  private func barBeat(_ bar: NumberLiteral, _ beat: NumberLiteral, _ diagnostics: inout [Diagnostic]) -> BeatTime? {
    guard bar.value >= .one else {
      diagnostics.append(.error("bars count from 1", at: bar.range, hint: "1:1 is the first beat of the song"))
      return nil
    }
    let number = Int(bar.value.numerator)
    let meter = meters.meter(ofBar: number)
    let perBar = meter.beatsPerBar
    guard beat.value >= .one, beat.value < perBar + .one else {
      diagnostics.append(
        .error(
          "beat \(beat.text) is not in a bar of \(perBar) beats (meter \(meter))",
          at: beat.range, hint: "beats count from 1 to just under \(perBar + .one)"))
      return nil
    }
    // A bar that a meter change cuts short (a section of `length=` other than whole bars) is shorter.
    let length = meters.length(ofBar: number)
    guard beat.value < length + .one else {
      diagnostics.append(
        .error(
          "beat \(beat.text) is not in bar \(number): a meter change cuts that bar to \(length) beat"
            + (length == .one ? "" : "s"), at: beat.range, hint: "the next bar, \(number + 1):1, starts there"))
      return nil
    }
    return meters.start(ofBar: number) + beat.value - .one
  }
}
