/// Mini-notation statements: the string's events, evaluated with the statement's seeded stream when it draws at
/// random, each emitted as a note of its own (its word's location, its own length and stream key).
extension Expander {
  mutating func emitMini(_ note: LoweredNote, _ plan: MiniPlan, _ context: Context) {
    var haps = plan.fixed ?? []
    if plan.fixed == nil {
      // A random string is evaluated at each expansion: all of them together get eight strings' worth of work.
      let total = limits.maxMiniWork * 8
      let budget = min(limits.maxMiniWork, total - miniWork)
      let key = StreamKey.combine(context.key ^ Draw.mini.rawValue, UInt64(note.index))
      var query = MiniQuery(plan.notation, key: key, budget: budget)
      let random = query.onsets(cycles: plan.cycles)
      miniWork += budget - max(0, query.budget)
      guard let random else {
        fail(
          budget < limits.maxMiniWork
            ? "the random strings of this song take more than \(total) steps to play in all"
            : "this string takes more than \(limits.maxMiniWork) steps to play", at: plan.notation.range,
          hint: "lower its factors (*), its polymeter steps (%), its cycles or the repeats around it")
        return
      }
      haps = random
    }
    // Events of one word at one time (`[a, a]`) each get a stream of their own.
    var seen: [UInt64: UInt64] = [:]
    for hap in haps {
      guard let picked = plan.notes[hap.leaf] else { continue }
      let leaf = plan.notation.leaves[hap.leaf]
      let length = plan.duration ?? (hap.whole.end - hap.whole.begin) * plan.over
      let event = note.event(
        pick: .notes([picked]), onset: plan.start + hap.whole.begin * plan.over, duration: length,
        expression: plan.expressions[length] ?? note.expression, range: leaf.range)
      // Keyed by the word and its time in cycles: editing one part of a string leaves the others' draws alone.
      let salt = StreamKey.combine(
        StreamKey.combine(UInt64(hap.leaf), UInt64(bitPattern: hap.whole.begin.numerator)),
        UInt64(bitPattern: hap.whole.begin.denominator))
      let occurrence = seen[salt, default: 0]
      seen[salt] = occurrence + 1
      emit(event, context, salt: occurrence == 0 ? salt : StreamKey.combine(salt, occurrence))
      if stopped { return }
    }
  }
}
