/// Checks moving values (`A -> B over L at T`, `curve(…)`, `lfo(…)`) against the parameter they move and turns
/// them into `Automation`s: values in range, times in beats, curve points in time order, LFO periods ≥ 1/64 beat.
extension Lowering {
  /// The most points a curve may have (each evaluation searches them; MIDI export samples between them).
  static let maxCurvePoints = 1024
  /// The shortest LFO period, in beats: 1/64 beat is 7.8 ms at 120 bpm, a quarter of the engine's control grid
  /// would be shorter than a sample of the movement.
  static let shortestLFOPeriod = BeatTime(1, 64)

  /// The automation of `value` moving as `expr`; nil (with one diagnostic) when anything is wrong.
  func automation(
    _ expr: AutomationExpr, from value: NumberLiteral, parameter p: AutomatedParameter, base: AutomationTimeBase
  ) -> Automation? {
    switch expr {
    case .ramp(let ramp):
      guard inRange(value, p), inRange(ramp.to, p) else { return nil }
      var start = BeatTime.zero
      if let at = ramp.at {
        guard let t = time(at, base: base, p) else { return nil }
        start = t
      }
      let length: BeatTime
      if let over = ramp.over {
        guard over.value > .zero else {
          diagnostics.append(
            .error("a ramp must last longer than 0 beats", at: over.range, hint: "over 8 (beats)"))
          return nil
        }
        length = over.value
      } else if case .note(let noteLength) = base {
        length = noteLength
      } else {
        diagnostics.append(
          .error(
            "a ramp here needs 'over' and its length in beats", at: ramp.to.range,
            hint: "\(p.name)=\(value.text) -> \(ramp.to.text) over 8 (and 'at 16' to start it later)"))
        return nil
      }
      return Automation(
        points: [
          AutomationPoint(beat: start, value: value.value.doubleValue),
          AutomationPoint(beat: start + length, value: ramp.to.value.doubleValue),
        ], scale: p.scale, range: p.range)
    case .curve(let written, let range):
      guard written.count <= Lowering.maxCurvePoints else {
        diagnostics.append(
          .error(
            "a curve has at most \(Lowering.maxCurvePoints) points", at: range,
            hint: "this one has \(written.count); use an LFO for a repeating movement"))
        return nil
      }
      var points: [AutomationPoint] = []
      for point in written {
        guard inRange(point.value, p), let t = time(point.at, base: base, p) else { return nil }
        if let last = points.last, t <= last.beat {
          diagnostics.append(
            .error(
              "the curve's points must be in time order, each later than the one before", at: point.at.range,
              hint: "the point before is at beat \(last.beat.fractionText); a jump would click, so give it a later time"
            ))
          return nil
        }
        points.append(AutomationPoint(beat: t, value: point.value.value.doubleValue))
      }
      return Automation(points: points, scale: p.scale, range: p.range)
    case .lfo(let lfo):
      return checkLFO(lfo, parameter: p)
    }
  }

  private func checkLFO(_ lfo: LFOExpr, parameter p: AutomatedParameter) -> Automation? {
    guard let shape = LFOShape(rawValue: lfo.shape.text) else {
      let names = LFOShape.allCases.map(\.rawValue)
      diagnostics.append(
        .error(
          "unknown LFO shape '\(lfo.shape.text)'", at: lfo.shape.range,
          hint: Suggestions.hint(for: lfo.shape.text, in: names) ?? "shapes: " + names.joined(separator: ", ")))
      return nil
    }
    var period: BeatTime?
    var depth: Double?
    var phase = 0.0
    var center = p.defaultValue
    let depthUnit = p.scale == .octaves ? "octaves" : p.unit
    for (name, value) in lfo.arguments {
      let x = value.value.doubleValue
      switch name.text {
      case "period":
        guard value.value >= Lowering.shortestLFOPeriod else {
          diagnostics.append(
            .error(
              "an LFO's period must be at least 1/64 beat", at: value.range,
              hint: "period=4 (beats); faster than that is audio, not movement"))
          return nil
        }
        period = value.value
      case "depth":
        let limit = p.scale == .octaves ? 10 : (p.range.upperBound - p.range.lowerBound)
        guard x >= 0, x <= limit else {
          diagnostics.append(
            .error(
              "the LFO's depth must be 0 … \(formatNumber(limit))\(depthUnit.isEmpty ? "" : " " + depthUnit)",
              at: value.range,
              hint: p.scale == .octaves ? "for a frequency the depth is in octaves: depth=1 swings ×2 and ÷2" : nil))
          return nil
        }
        depth = x
      case "phase":
        guard (0...1).contains(x) else {
          diagnostics.append(
            .error(
              "the LFO's phase is 0 … 1 (a share of a cycle)", at: value.range, hint: "phase=0.25 starts a quarter in"))
          return nil
        }
        phase = x
      case "center":
        guard inRange(value, p) else { return nil }
        center = x
      default:
        let names = ["period", "depth", "phase", "center"]
        diagnostics.append(
          .error(
            "lfo(…) has no parameter '\(name.text)'", at: name.range,
            hint: Suggestions.hint(for: name.text, in: names)
              ?? "lfo(\(shape.rawValue), period=BEATS, depth=…, phase=0 … 1, center=…)"))
        return nil
      }
    }
    guard let period, let depth else {
      diagnostics.append(
        .error(
          "an LFO needs period= (beats) and depth=\(depthUnit.isEmpty ? "" : " (" + depthUnit + ")")",
          at: lfo.range, hint: "\(p.name)=lfo(\(shape.rawValue), period=4, depth=…)"))
      return nil
    }
    return Automation(
      points: [AutomationPoint(beat: .zero, value: center)],
      lfo: LFOSpec(shape: shape, periodBeats: period, depth: depth, phase: phase), scale: p.scale, range: p.range)
  }

  private func inRange(_ n: NumberLiteral, _ p: AutomatedParameter) -> Bool {
    guard p.range.contains(n.value.doubleValue) else {
      diagnostics.append(.error("\(p.name) must be \(p.rangeText)", at: n.range, hint: p.example))
      return false
    }
    return true
  }

  private func time(_ t: TimeExpr, base: AutomationTimeBase, _ p: AutomatedParameter) -> BeatTime? {
    if case .note = base, case .barBeat = t {
      diagnostics.append(
        .error(
          "a note's own ramp counts beats from the note's start, not bars", at: t.range,
          hint: "\(p.name)=… -> … over 1 at 1/2"))
      return nil
    }
    return times.single(t, &diagnostics)
  }
}

extension Lowering {
  /// The attributes that make a note's `NoteExpression`, in the order they are checked.
  private static let expressionSettings: [NoteAttribute] = [.cutoff, .res, .fenv, .glide, .bend, .start, .rate]

  /// A note statement's own sound settings, checked against what the instrument's voices take; moving values
  /// in beats from the note's start (`over` defaults to the note's length). Nil after a diagnostic.
  func noteExpression(
    _ values: AttributeValues, attributes: [Attribute], duration: BeatTime, instrument: InstrumentDescriptor,
    name: String
  ) -> NoteExpression? {
    var e = NoteExpression()
    for kind in Self.expressionSettings where values.has(kind) {
      if let needed = ExpressionSupport.needed(for: kind), !instrument.expression.contains(needed) {
        let range = attributes.last { $0.name.text == kind.rawValue }!.name.range
        diagnostics.append(
          .error(
            "'\(name)' does not take \(kind.rawValue)=", at: range,
            hint: "\(kind.rawValue)= works on \(ExpressionSupport.who(needed))"))
        return nil
      }
      let moving: Automation?
      if !values.moving.isEmpty, let (value, expr) = values.moving[kind] {
        guard let a = automation(expr, from: value, parameter: kind.automated, base: .note(length: duration)) else {
          return nil
        }
        moving = a
      } else {
        moving = nil
      }
      func constant() -> Automation {
        Automation(
          points: [AutomationPoint(beat: .zero, value: values.double(kind)!)], scale: kind.automated.scale,
          range: kind.automated.range)
      }
      switch kind {
      case .cutoff: e.cutoff = moving ?? constant()
      case .res: e.resonance = moving ?? constant()
      case .fenv: e.filterEnvelopeOctaves = values.double(.fenv)
      case .glide: e.glideSeconds = values.double(.glide)
      case .bend:
        // A plain number bends from 0 at the start to that many semitones at the note's end.
        e.bend =
          moving
          ?? Automation(
            points: [
              AutomationPoint(beat: .zero, value: 0), AutomationPoint(beat: duration, value: values.double(.bend)!),
            ], scale: .linear, range: kind.automated.range)
      case .start: e.sampleStart = values.double(.start)
      case .rate: e.rate = moving ?? constant()
      default: break
      }
    }
    return e
  }
}
