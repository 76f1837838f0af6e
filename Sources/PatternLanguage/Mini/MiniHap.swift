/// One event of a pattern, as Strudel's haps: `whole` is the event's full extent, `part` the fragment of it
/// inside the span queried. An event starts (and sounds) in a query when `part.begin == whole.begin`.
struct MiniHap {
  var whole: MiniSpan
  var part: MiniSpan
  /// The leaf it plays (`MiniNotation.leaves`).
  var leaf: Int

  var hasOnset: Bool { part.begin == whole.begin }
}
