/// A half-open span of cycle time, `begin ..< end`, exact.
struct MiniSpan: Hashable {
  var begin: BeatTime
  var end: BeatTime

  init(_ begin: BeatTime, _ end: BeatTime) {
    self.begin = begin
    self.end = end
  }

  var isEmpty: Bool { !(begin < end) }

  /// The overlap of two spans (nil when they do not overlap by a positive length).
  func intersection(_ other: MiniSpan) -> MiniSpan? {
    let span = MiniSpan(max(begin, other.begin), min(end, other.end))
    return span.isEmpty ? nil : span
  }

  func map(_ f: (BeatTime) -> BeatTime) -> MiniSpan { MiniSpan(f(begin), f(end)) }
}
