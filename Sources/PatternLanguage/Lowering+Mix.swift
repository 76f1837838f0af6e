/// Checks the mix: buses, each track's sends and `fx=` chain, `width=`, and the master chain. Effect chains are
/// checked once every track exists (a `key=` may name a track whose block comes later, or one from a section).
extension Lowering {
  /// Bus names first, so blocks can send to a bus declared below them.
  func declareBuses(_ buses: [BusDecl]) {
    for bus in buses {
      if let first = program.buses.firstIndex(where: { $0.name == bus.name.text }) {
        diagnostics.append(
          .error(
            "bus '\(bus.name.text)' is declared twice", at: bus.name.range, hint: "give the second bus another name",
            notes: [.init(message: "first declared here", range: buses[first].name.range)]))
        continue
      }
      program.buses.append(MixBus(name: bus.name.text, effects: [], location: bus.name.range.start))
      busDecls.append(bus)
    }
  }

  /// A block's sends and `fx=`, recorded for its track (checked against any other block of the same track).
  func recordMix(of block: Block, track index: Int) {
    guard !block.sends.isEmpty || !block.inserts.isEmpty else { return }
    var sends: [TrackSend] = []
    var valid = true
    for send in block.sends {
      guard let bus = program.buses.firstIndex(where: { $0.name == send.bus.text }) else {
        let names = program.buses.map(\.name)
        diagnostics.append(
          .error(
            "unknown bus '\(send.bus.text)'", at: send.bus.range,
            hint: Suggestions.hint(for: send.bus.text, in: names)
              ?? (names.isEmpty
                ? "declare it first: bus \(send.bus.text) = reverb(decay=2);"
                : "buses: " + names.joined(separator: ", "))))
        valid = false
        continue
      }
      let level = send.level.value.doubleValue
      var moving: Automation?
      if let expr = send.automation {
        let p = AutomatedParameter(
          name: "send \(send.bus.text)", unit: "dB", range: -96...12, defaultValue: -12,
          example: "send \(send.bus.text)=-30 -> -8 over 8 at 32")
        guard let a = automation(expr, from: send.level, parameter: p, base: .song) else {
          valid = false
          continue
        }
        moving = a
      } else if !(-96...12).contains(level) {
        diagnostics.append(
          .error("a send level must be -96 … 12 dB", at: send.level.range, hint: "send \(send.bus.text)=-12"))
        valid = false
        continue
      }
      if sends.contains(where: { $0.bus == bus }) {
        diagnostics.append(.error("the track sends to '\(send.bus.text)' twice", at: send.range))
        valid = false
        continue
      }
      var trackSend = TrackSend(bus: bus, gainDecibels: moving?.points[0].value ?? level)
      trackSend.automation = moving
      sends.append(trackSend)
    }
    guard valid else {
      // The chain is still checked (its own mistakes are reported too), but the track keeps no sends.
      if trackInserts[index] == nil { trackInserts[index] = block.inserts }
      return
    }
    let signature = Lowering.signature(sends: sends, inserts: block.inserts)
    if let (first, range) = trackMix[index] {
      if first != signature {
        diagnostics.append(
          .error(
            "track '\(program.tracks[index].name)' already has different sends or effects", at: block.keyword.range,
            hint: "give every \(block.kind.rawValue) block of the song the same sends and fx=, or set them once",
            notes: [.init(message: "set here", range: range)]))
      }
      return
    }
    trackMix[index] = (signature, block.keyword.range)
    program.tracks[index].sends = sends
    trackInserts[index] = block.inserts
  }

  /// Effect chains of the buses, the tracks and the master, once every track is known.
  func resolveChains(masters: [MasterDecl]) {
    for (i, bus) in busDecls.enumerated() {
      program.buses[i].effects = resolveChain(bus.chain, onBus: true, ownTrack: nil)
    }
    for (track, chain) in trackInserts.sorted(by: { $0.key < $1.key }) {
      program.tracks[track].inserts = resolveChain(chain, onBus: false, ownTrack: track)
    }
    if let master = masters.first {
      program.master = resolveChain(master.chain, onBus: false, ownTrack: nil)
    }
    for extra in masters.dropFirst() {
      diagnostics.append(
        .error(
          "the master chain is given twice", at: extra.range,
          hint: "chain every master effect in one master(fx=a -> b);",
          notes: [.init(message: "first given here", range: masters[0].range)]))
    }
    let fed = Set(program.tracks.flatMap(\.sends).map(\.bus))
    for (i, bus) in busDecls.enumerated() where !fed.contains(i) {
      diagnostics.append(
        .warning(
          "nothing sends to bus '\(bus.name.text)', so it is silent", at: bus.name.range,
          hint: "melody(send \(bus.name.text)=-12) { … }"))
    }
  }

  private func resolveChain(_ chain: [EffectCall], onBus: Bool, ownTrack: Int?) -> [EffectSpec] {
    chain.compactMap { call in
      effectCount += 1
      if effectCount == limits.maxEffects + 1 {
        diagnostics.append(
          .error(
            "more than \(limits.maxEffects) effects in one song", at: call.name.range,
            hint: "share effects through a bus instead of repeating them on every track"))
      }
      return effectCount > limits.maxEffects ? nil : resolveEffect(call, onBus: onBus, ownTrack: ownTrack)
    }
  }

  private func resolveEffect(_ call: EffectCall, onBus: Bool, ownTrack: Int?) -> EffectSpec? {
    guard let kind = EffectKind(rawValue: call.name.text) else {
      let names = EffectKind.allCases.map(\.rawValue)
      diagnostics.append(
        .error(
          "unknown effect '\(call.name.text)'", at: call.name.range,
          hint: Suggestions.hint(for: call.name.text, in: names) ?? "effects: " + names.joined(separator: ", ")))
      return nil
    }
    let parameters = kind.parameters
    var spec = EffectSpec(
      kind: kind, values: parameters.map(\.defaultValue), mix: onBus ? 1 : kind.insertMix,
      location: call.name.range.start)
    var seen: [String: SourceRange] = [:]
    var valid = true
    for argument in call.arguments {
      let name = argument.name.text
      if let first = seen[name] {
        diagnostics.append(
          .error(
            "'\(name)' is given twice", at: argument.name.range,
            notes: [.init(message: "first given here", range: first)]))
        valid = false
        continue
      }
      seen[name] = argument.name.range
      if name == "key" {
        guard kind.acceptsKey else {
          diagnostics.append(
            .error(
              "only comp(…) takes a key", at: argument.name.range, hint: "comp(threshold=-30, ratio=8, key=rhythm)"))
          valid = false
          continue
        }
        guard let track = keyTrack(argument, ownTrack: ownTrack) else {
          valid = false
          continue
        }
        spec.key = track
        continue
      }
      let parameter = name == "mix" ? EffectKind.mixParameter : parameters.first { $0.name == name }
      guard let parameter else {
        let names = parameters.map(\.name) + ["mix"] + (kind.acceptsKey ? ["key"] : [])
        diagnostics.append(
          .error(
            "\(kind.rawValue) has no parameter '\(name)'", at: argument.name.range,
            hint: Suggestions.hint(for: name, in: names)
              ?? "\(kind.rawValue) takes " + names.joined(separator: ", ") + " (\(kind.example))"))
        valid = false
        continue
      }
      guard case .number(let literal) = argument.value else {
        diagnostics.append(
          .error("'\(name)' takes a number", at: argument.range, hint: kind.example))
        valid = false
        continue
      }
      let index = name == "mix" ? EffectSpec.mixIndex : parameters.firstIndex { $0.name == name }!
      if let expr = argument.automation {
        guard let a = effectAutomation(expr, literal, kind: kind, parameter: parameter, at: argument.name.range) else {
          valid = false
          continue
        }
        spec.automations.append(EffectAutomation(parameter: index, automation: a))
        if index == EffectSpec.mixIndex { spec.mix = a.points[0].value } else { spec.values[index] = a.points[0].value }
        continue
      }
      let x = literal.value.doubleValue
      guard parameter.range.contains(x) || (parameter.zeroIsOff && x == 0) else {
        let unit = parameter.unit.isEmpty ? "" : " \(parameter.unit)"
        let off = parameter.zeroIsOff ? " (or 0 for off)" : ""
        diagnostics.append(
          .error(
            "\(kind.rawValue) \(name) must be \(formatNumber(parameter.range.lowerBound)) … "
              + "\(formatNumber(parameter.range.upperBound))\(unit)\(off)", at: literal.range, hint: kind.example))
        valid = false
        continue
      }
      if name == "mix" {
        spec.mix = x
      } else {
        spec.values[parameters.firstIndex { $0.name == name }!] = x
      }
    }
    return valid ? spec : nil
  }

  /// A moving effect parameter. The reverb's `size` and `predelay` (its delay lines' lengths) and the delay's
  /// `pingpong` (a switch) cannot move; the rest can.
  private func effectAutomation(
    _ expr: AutomationExpr, _ start: NumberLiteral, kind: EffectKind, parameter: EffectKind.Parameter,
    at name: SourceRange
  ) -> Automation? {
    if (kind == .reverb && ["size", "predelay"].contains(parameter.name))
      || (kind == .delay && parameter.name == "pingpong")
    {
      diagnostics.append(
        .error(
          "\(kind.rawValue) \(parameter.name) cannot move over time", at: expr.range,
          hint: parameter.name == "pingpong"
            ? "pingpong is a switch: 0 or 1"
            : "\(parameter.name) sets the room's delay lines; move decay, damp, width or mix instead"))
      return nil
    }
    let p = AutomatedParameter(
      name: "\(kind.rawValue) \(parameter.name)", unit: parameter.unit, range: parameter.range,
      defaultValue: parameter.defaultValue,
      example: "\(kind.rawValue)(\(parameter.name)=\(formatNumber(parameter.range.lowerBound)) -> "
        + "\(formatNumber(parameter.range.upperBound)) over 8)")
    return automation(expr, from: start, parameter: p, base: .song)
  }

  /// The track a `key=` names: a block kind (`rhythm`) or a track name in quotes (`"melody 2"`).
  private func keyTrack(_ argument: EffectArgument, ownTrack: Int?) -> Int? {
    let names = program.tracks.map(\.name)
    guard case .name(let name) = argument.value else {
      diagnostics.append(
        .error(
          "key= names a track", at: argument.range,
          hint: "key=rhythm, or key=\"melody 2\"; tracks: " + names.joined(separator: ", ")))
      return nil
    }
    guard let track = program.tracks.firstIndex(where: { $0.name == name.text }) else {
      diagnostics.append(
        .error(
          "no track '\(name.text)' to key the compressor", at: name.range,
          hint: Suggestions.hint(for: name.text, in: names)
            ?? (names.isEmpty ? nil : "tracks: " + names.joined(separator: ", "))))
      return nil
    }
    if track == ownTrack {
      diagnostics.append(
        .error(
          "a track cannot key its own compressor", at: name.range,
          hint: "leave key= out: the compressor then listens to its own track"))
      return nil
    }
    return track
  }

  /// What decides a track's mix, for comparing two blocks of one track.
  private static func signature(sends: [TrackSend], inserts: [EffectCall]) -> String {
    let s = sends.map { "\($0.bus)=\($0.automation?.text ?? "\($0.gainDecibels)")" }.joined(separator: ",")
    let fx = inserts.map { call in
      call.name.text + "("
        + call.arguments.map { a -> String in
          switch a.value {
          case .number(let n): return "\(a.name.text)=\(n.value.doubleValue)\(a.automation.map { "\($0)" } ?? "")"
          case .name(let n): return "\(a.name.text)=\"\(n.text)\""
          }
        }.joined(separator: ",") + ")"
    }.joined(separator: "->")
    return s + "|" + fx
  }
}
