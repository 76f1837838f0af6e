/// Evaluates a mini-notation pattern over cycles with Strudel's semantics, operation for operation, in exact
/// rational time: `pure` (one event per cycle), `timeCat` (a sequence: each step `compress`ed into its share of
/// the cycle by `fastGap` and `late`), `stack`, `fast`/`slow` (a patterned factor is an inner join: the inner
/// pattern queried over each part of the factor's events), `repeatCycles` for `!`, `struct` over a Bjorklund
/// sequence for `(k,n,r)`, `degradeBy` and a per-cycle choice for `|`.
///
/// Random draws (`?`, `|`) come from `key`, the statement's seeded stream, by the place of the mark in the string
/// and the event's time, never from a counter: the same song always plays the same notes.
struct MiniQuery {
  let notation: MiniNotation
  let key: UInt64
  /// Work left (cycles visited and events made anywhere in the recursion), so `[~ ~]*1e9` ends in an error,
  /// not a hang.
  private(set) var budget: Int
  var exhausted: Bool { budget <= 0 }
  /// Every event that could play: `?` keeps all, `|` plays every option (for the set of event lengths).
  var exhaustive = false
  /// Bjorklund rhythms by pulses and steps, built once per evaluation.
  private var rhythms: [Int: [Bool]] = [:]

  init(_ notation: MiniNotation, key: UInt64, budget: Int) {
    self.notation = notation
    self.key = key
    self.budget = budget
  }

  /// The events that start in cycles `0 ..< cycles`, by onset (equal onsets in the order the pattern makes
  /// them); nil when the work limit was reached.
  mutating func onsets(cycles: Int) -> [MiniHap]? {
    var out: [MiniHap] = []
    query(notation.root, MiniSpan(.zero, BeatTime(Int64(cycles))), &out)
    if exhausted { return nil }
    let starts = out.filter(\.hasOnset)
    let order = starts.indices.sorted { a, b in
      starts[a].whole.begin != starts[b].whole.begin ? starts[a].whole.begin < starts[b].whole.begin : a < b
    }
    return order.map { starts[$0] }
  }

  /// Appends the events of `node` overlapping `span` (the pattern's own time) to `out`.
  mutating func query(_ node: MiniNode, _ span: MiniSpan, _ out: inout [MiniHap]) {
    guard !exhausted, !span.isEmpty else { return }
    switch node {
    case .silence: return
    case .atom(let leaf):
      forEachCycle(of: span) { s, _ in
        let cycle = s.begin.floor
        out.append(MiniHap(whole: MiniSpan(cycle, cycle + .one), part: s, leaf: leaf))
      }
    case .sequence(let steps):
      let total = node.weight
      guard total > .zero else { return }
      var offset = BeatTime.zero
      for step in steps where step.weight > .zero {
        compress(step.node, from: offset / total, to: (offset + step.weight) / total, span, &out)
        offset = offset + step.weight
      }
    case .stack(let nodes):
      for n in nodes { query(n, span, &out) }
    case .choice(let options, _) where exhaustive:
      for option in options { query(option, span, &out) }
    case .choice(let options, let site):
      forEachCycle(of: span) { s, this in
        let draw = StreamKey.unit(
          StreamKey.combine(this.siteKey(0x7C00, site), UInt64(bitPattern: s.begin.floor.numerator)))
        this.query(options[min(options.count - 1, Int(draw * Double(options.count)))], s, &out)
      }
    case .fast(let n, let argument):
      for (factors, part) in arguments([argument], span) { fast(n, by: factors[0], part, &out) }
    case .slow(let n, let argument):
      for (factors, part) in arguments([argument], span) where factors[0] > .zero {
        fast(n, by: .one / factors[0], part, &out)
      }
    case .replicate(let n, let count):
      let factor = BeatTime(Int64(count))
      let start = out.count
      repeatCycles(n, count, span.map { $0 * factor }, &out)
      scale(&out, from: start, by: factor)
    case .euclid(let n, let pulses, let steps, let rotation):
      for (values, part) in arguments([pulses, steps, rotation ?? .constant(.zero)], span) {
        euclid(n, pulses: values[0], steps: values[1], rotation: values[2], part, &out)
      }
    case .degrade(let n, _, _) where exhaustive:
      query(n, span, &out)
    case .degrade(let n, let amount, let site):
      let start = out.count
      query(n, span, &out)
      let siteKey = self.siteKey(0x3F00, site)
      var kept = start
      for i in start..<out.count where Self.draw(siteKey, at: out[i].whole.begin) >= amount.doubleValue {
        out[kept] = out[i]
        kept += 1
      }
      out.removeSubrange(kept...)
    case .polymeter(let sequences, let steps):
      guard let first = sequences.first else { return }
      for sequence in sequences where sequence.weight > .zero {
        for (values, part) in arguments([steps ?? .constant(first.weight)], span) {
          fast(sequence, by: values[0] / sequence.weight, part, &out)
        }
      }
    }
  }

  // MARK: - Operations

  /// `fast(factor)`: the span scaled up, the events scaled down. A factor of 0 is silence.
  private mutating func fast(_ node: MiniNode, by factor: BeatTime, _ span: MiniSpan, _ out: inout [MiniHap]) {
    guard factor > .zero else { return }
    let start = out.count
    query(node, span.map { $0 * factor }, &out)
    scale(&out, from: start, by: factor)
  }

  private func scale(_ out: inout [MiniHap], from start: Int, by factor: BeatTime) {
    for i in start..<out.count {
      out[i].whole = out[i].whole.map { $0 / factor }
      out[i].part = out[i].part.map { $0 / factor }
    }
  }

  /// `compress(b, e)`: each cycle of `node` squeezed into `b ..< e` of the cycle (`fastGap(1 / (e − b))` then
  /// `late(b)`), wholes scaled with their parts.
  private mutating func compress(
    _ node: MiniNode, from b: BeatTime, to e: BeatTime, _ span: MiniSpan, _ out: inout [MiniHap]
  ) {
    guard b < e, !b.isNegative, e <= .one else { return }
    let factor = .one / (e - b)
    let start = out.count
    forEachCycle(of: span.map { $0 - b }) { s, this in
      let cycle = s.begin.floor
      let bpos = min((s.begin - cycle) * factor, .one)
      let epos = min((s.end - cycle) * factor, .one)
      guard bpos < .one else { return }
      let first = out.count
      this.query(node, MiniSpan(cycle + bpos, cycle + epos), &out)
      for i in first..<out.count {
        let (whole, part) = (out[i].whole, out[i].part)
        let c = part.begin.floor
        let newPart = MiniSpan(c + min((part.begin - c) / factor, .one), c + min((part.end - c) / factor, .one))
        out[i].part = newPart
        out[i].whole = MiniSpan(
          newPart.begin - (part.begin - whole.begin) / factor, newPart.end + (whole.end - part.end) / factor)
      }
    }
    for i in start..<out.count {
      out[i].whole = out[i].whole.map { $0 + b }
      out[i].part = out[i].part.map { $0 + b }
    }
  }

  /// `repeatCycles(n)`: cycle c plays the node's cycle ⌊c / n⌋.
  private mutating func repeatCycles(_ node: MiniNode, _ count: Int, _ span: MiniSpan, _ out: inout [MiniHap]) {
    forEachCycle(of: span) { s, this in
      let cycle = s.begin.floor
      let delta = cycle - (cycle / BeatTime(Int64(count))).floor
      let first = out.count
      this.query(node, s.map { $0 - delta }, &out)
      for i in first..<out.count {
        out[i].whole = out[i].whole.map { $0 + delta }
        out[i].part = out[i].part.map { $0 + delta }
      }
    }
  }

  /// `struct` over E(pulses, steps) rotated left by `rotation`: each true step is an event of the step's length
  /// that plays what `node` plays there (negative pulses invert the rhythm, as in Strudel).
  private mutating func euclid(
    _ node: MiniNode, pulses: BeatTime, steps: BeatTime, rotation: BeatTime, _ span: MiniSpan,
    _ out: inout [MiniHap]
  ) {
    let n = Int(steps.floor.numerator)
    guard n >= 1, n <= 4096 else { return }
    let k = Int(clamping: pulses.floor.numerator)
    // A patterned pulse count above the steps fills every step (Strudel throws there).
    let on = min(k.magnitude, UInt(n))
    let pattern = rhythms[Int(on) << 16 | n] ?? Euclid.bjorklund(pulses: Int(on), steps: n)
    rhythms[Int(on) << 16 | n] = pattern
    guard spend() else { return }
    let r = Int(((rotation.floor.numerator % Int64(n)) + Int64(n)) % Int64(n))
    let stepLength = BeatTime(1, Int64(n))
    forEachCycle(of: span) { s, this in
      let cycle = s.begin.floor
      let firstStep = Int(((s.begin - cycle) / stepLength).floor.numerator)
      for i in firstStep..<n {
        let whole = MiniSpan(cycle + BeatTime(Int64(i), Int64(n)), cycle + BeatTime(Int64(i + 1), Int64(n)))
        guard let stepPart = whole.intersection(s), this.spend() else { break }
        guard pattern[(i + r) % n] != (k < 0) else { continue }
        // The node's events in the step, queried straight into `out` and cut to the step (no array per step).
        let first = out.count
        this.query(node, whole, &out)
        var kept = first
        for j in first..<out.count {
          guard let part = out[j].part.intersection(stepPart) else { continue }
          out[kept] = MiniHap(whole: whole, part: part, leaf: out[j].leaf)
          kept += 1
        }
        out.removeSubrange(kept...)
      }
    }
  }

  // MARK: - Arguments

  /// The values of patterned arguments over `span`, with the part of the span each combination holds for:
  /// the first argument's events, each narrowed by the next argument's (Strudel's `appLeft` chain, then an
  /// inner join). Constants hold everywhere.
  private mutating func arguments(_ args: [MiniArgument], _ span: MiniSpan) -> [([BeatTime], MiniSpan)] {
    var combos: [([BeatTime], MiniSpan, MiniSpan?)] = [([], span, nil)]
    for arg in args {
      var next: [([BeatTime], MiniSpan, MiniSpan?)] = []
      for (values, part, whole) in combos {
        switch arg {
        case .constant(let v): next.append((values + [v], part, whole))
        case .pattern(let node):
          var haps: [MiniHap] = []
          query(node, whole ?? part, &haps)
          for h in haps {
            guard let narrowed = h.part.intersection(part), let v = notation.leaves[h.leaf].number else { continue }
            next.append((values + [v], narrowed, whole ?? h.whole))
          }
        }
      }
      combos = next
    }
    return combos.map { ($0.0, $0.1) }
  }

  // MARK: - Draws and work

  private func siteKey(_ purpose: UInt64, _ site: Int) -> UInt64 { StreamKey.combine(key, purpose + UInt64(site)) }

  /// A draw in [0, 1) for an event starting at `time`.
  static func draw(_ siteKey: UInt64, at time: BeatTime) -> Double {
    StreamKey.unit(
      StreamKey.combine(
        StreamKey.combine(siteKey, UInt64(bitPattern: time.numerator)), UInt64(bitPattern: time.denominator)))
  }

  /// Counts one unit of work; false once the budget is spent.
  private mutating func spend() -> Bool {
    budget -= 1
    return budget > 0
  }

  /// Calls `body` for each whole-cycle piece of `span`, counting each as work.
  private mutating func forEachCycle(of span: MiniSpan, _ body: (MiniSpan, inout MiniQuery) -> Void) {
    var b = span.begin
    while b < span.end, spend() {
      let next = b.floor + .one
      body(MiniSpan(b, min(next, span.end)), &self)
      b = next
    }
  }
}
