/// Where a song's meter changes, and the conversions between beats and `bar:beat` across the changes, in exact
/// beats.
///
/// Every change starts a bar. Bars are counted from 1 through the whole song: a change at beat `b` after a
/// change at beat `a` in meter `m` starts bar `bar(a) + ⌈(b − a) / barLength(m)⌉`, so a bar that a change cuts
/// short still counts as a bar (it only happens when a section's explicit `length=` is not whole bars).
public struct MeterMap: Hashable, Sendable {
  /// One meter from a bar line on.
  public struct Change: Hashable, Sendable {
    /// Where the meter starts, in beats from the start of the song (a bar line).
    public var beat: BeatTime
    /// The number of the bar it starts, from 1.
    public var bar: Int
    public var meter: Meter
  }

  /// Sorted by beat, the first at beat 0 (bar 1); no two at one beat, and none repeats the meter in force on
  /// one of its bar lines.
  public private(set) var changes: [Change]

  /// A song in one meter.
  public init(_ meter: Meter = Meter(numerator: 4, denominator: 4)) {
    changes = [Change(beat: .zero, bar: 1, meter: meter)]
  }

  /// The meter at beat 0.
  public var opening: Meter { changes[0].meter }

  // MARK: - Lookups

  /// The index of the change in force at `beat` (≥ 0).
  func changeIndex(atBeat beat: BeatTime) -> Int { lastChange { $0.beat <= beat } }

  /// The index of the change that bar `bar` (≥ 1) belongs to.
  func changeIndex(atBar bar: Int) -> Int { lastChange { $0.bar <= bar } }

  /// The last change for which `isAtOrBefore` holds (it holds for the first, and for a prefix): binary search.
  private func lastChange(_ isAtOrBefore: (Change) -> Bool) -> Int {
    var low = 0
    var high = changes.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if isAtOrBefore(changes[mid]) { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The meter in force at `beat`.
  public func meter(at beat: BeatTime) -> Meter { changes[changeIndex(atBeat: beat)].meter }

  /// Where `beat` (≥ 0) falls: its bar and its beat within the bar, both counted from 1 (beat 0 is `1:1`).
  public func position(of beat: BeatTime) -> (bar: Int, beat: BeatTime) {
    let change = changes[changeIndex(atBeat: beat)]
    let perBar = change.meter.beatsPerBar
    let bars = ((beat - change.beat) / perBar).floor
    return (change.bar + Int(bars.numerator), beat - change.beat - bars * perBar + .one)
  }

  /// `4:5/2`: `position(of:)` as a time the language reads back (the beat exact, a decimal when it has at most
  /// three places).
  public func barBeatText(_ beat: BeatTime) -> String {
    let p = position(of: beat)
    return "\(p.bar):\(p.beat.shortText)"
  }

  /// Where bar `bar` (≥ 1) starts, in beats.
  public func start(ofBar bar: Int) -> BeatTime {
    let change = changes[changeIndex(atBar: bar)]
    return change.beat + BeatTime(Int64(bar - change.bar)) * change.meter.beatsPerBar
  }

  /// The length of bar `bar` (≥ 1) in beats: its meter's, or less when the next change cuts it short.
  public func length(ofBar bar: Int) -> BeatTime {
    let i = changeIndex(atBar: bar)
    let start = start(ofBar: bar)
    let full = changes[i].meter.beatsPerBar
    guard i + 1 < changes.count else { return full }
    return min(full, changes[i + 1].beat - start)
  }

  /// The meter bar `bar` (≥ 1) is in.
  public func meter(ofBar bar: Int) -> Meter { changes[changeIndex(atBar: bar)].meter }

  /// The bars that start before `end` (beats), as (start, end) in beats, from bar 1: the bars a song of that
  /// length plays in. Empty when `end` is 0.
  public func bars(before end: BeatTime) -> [(start: BeatTime, end: BeatTime)] {
    var bars: [(start: BeatTime, end: BeatTime)] = []
    for (i, change) in changes.enumerated() where change.beat < end {
      let limit = i + 1 < changes.count ? changes[i + 1].beat : nil
      let perBar = change.meter.beatsPerBar
      var start = change.beat
      while start < end && (limit.map { start < $0 } ?? true) {
        let next = limit.map { min(start + perBar, $0) } ?? start + perBar
        bars.append((start, next))
        start = next
      }
    }
    return bars
  }

  // MARK: - Building

  /// Sets `meter` from `beat` (a bar line, ≥ 0) on; a change later than `beat` is dropped (a section's meter
  /// ends where the section ends, even when something nested in it runs longer). A change that repeats the
  /// meter in force on one of its bar lines is not recorded.
  mutating func set(_ meter: Meter, at beat: BeatTime) {
    while changes.count > 1 && changes[changes.count - 1].beat >= beat { changes.removeLast() }
    if changes.count == 1 && beat == .zero {
      changes[0].meter = meter
      return
    }
    let last = changes[changes.count - 1]
    let bars = (beat - last.beat) / last.meter.beatsPerBar
    if last.meter == meter && bars.denominator == 1 { return }
    changes.append(Change(beat: beat, bar: last.bar + Int(bars.ceiling.numerator), meter: meter))
  }
}

extension Meter: CustomStringConvertible {
  /// `3/4`.
  public var description: String { "\(numerator)/\(denominator)" }
}

extension BeatTime {
  /// `2.5` when the value has at most three decimal places, else the exact fraction (`4/3`); `2` for whole
  /// numbers. Both forms are numbers the language reads.
  public var shortText: String {
    guard denominator != 1 else { return "\(numerator)" }
    guard 1000 % denominator == 0,
      case (let thousandths, false) = numerator.multipliedReportingOverflow(by: 1000 / denominator)
    else { return description }
    let sign = thousandths < 0 ? "-" : ""
    let magnitude = thousandths.magnitude
    var fraction = String(magnitude % 1000)
    fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(sign)\(magnitude / 1000).\(fraction)"
  }
}
