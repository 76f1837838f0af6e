import PatternLanguage

/// The conductor part of an imported file: title and artist, the tempo map and the meters, by tick.
///
/// Tempo and time-signature events count wherever they are (any track); at one tick the last one in file order
/// wins, as a sequencer plays it. A file without a tempo at tick 0 starts at MIDI's 120 BPM, which is written
/// out (the language's default is 60). Time signatures the language cannot hold (a numerator over 64, a note
/// value under 1/32, a change off the bar lines of the meter before it) are left out with a warning.
struct ImportTimeline {
  struct Tempo: Hashable {
    var tick: Int64
    var microsecondsPerQuarter: UInt32
  }

  struct MeterChange: Hashable {
    var tick: Int64
    /// The bar it starts, from 1.
    var bar: Int
    var meter: Meter
  }

  var title: String?
  var artist: String?
  /// Sorted by tick, the first at tick 0, no two alike in a row.
  var tempos: [Tempo] = []
  /// Sorted by tick, the first at tick 0 (bar 1).
  var meters: [MeterChange] = []
  let ticksPerQuarter: Int64

  /// MIDI's tempo before any tempo event: 120 BPM.
  static let defaultMicroseconds: UInt32 = 500_000

  init(_ contents: MIDIReader.Contents, warnings: inout [String]) {
    ticksPerQuarter = Int64(contents.file.ticksPerQuarter)
    let tracks = contents.file.tracks
    // The title: a format-0 file's track name, or a format-1 conductor's (a first track without notes).
    if let first = tracks.first, contents.format == 0 || !first.events.contains(where: \.isNoteOn) {
      for e in first.events {
        if case .trackName(let name) = e.kind, title == nil, !name.isEmpty { title = name }
        if case .text(let text) = e.kind, text.hasPrefix("artist: "), artist == nil {
          artist = String(text.dropFirst("artist: ".count))
        }
      }
    }
    var tempoEvents: [(tick: Int64, us: UInt32)] = []
    var signatures: [(tick: Int64, numerator: Int, power: Int)] = []
    for track in tracks {
      for e in track.events {
        switch e.kind {
        case .tempo(let us): tempoEvents.append((e.tick, us))
        case .timeSignature(let n, let p): signatures.append((e.tick, Int(n), Int(p)))
        default: break
        }
      }
    }
    tempos = [Tempo(tick: 0, microsecondsPerQuarter: Self.defaultMicroseconds)]
    for t in Self.lastPerTick(tempoEvents, tick: { $0.tick }) {
      if t.tick == 0 {
        tempos[0].microsecondsPerQuarter = t.us
      } else if t.us != tempos[tempos.count - 1].microsecondsPerQuarter {
        tempos.append(Tempo(tick: t.tick, microsecondsPerQuarter: t.us))
      }
    }

    meters = [MeterChange(tick: 0, bar: 1, meter: Meter(numerator: 4, denominator: 4))]
    for s in Self.lastPerTick(signatures, tick: { $0.tick }) {
      guard (1...64).contains(s.numerator), (0...5).contains(s.power) else {
        warnings.append(
          "the time signature \(s.numerator)/2^\(s.power) at beat \(beat(s.tick)) is not a meter a pattern can "
            + "hold (1 … 64 beats of 1/1 … 1/32 notes); left out")
        continue
      }
      let meter = Meter(numerator: s.numerator, denominator: 1 << s.power)
      if s.tick == 0 {
        meters[0].meter = meter
        continue
      }
      let current = meters[meters.count - 1]
      guard meter != current.meter else { continue }
      let bars = (beat(s.tick) - beat(current.tick)) / current.meter.beatsPerBar
      guard bars.denominator == 1 else {
        warnings.append(
          "the time signature \(meter) at beat \(beat(s.tick)) is not on a bar line of \(current.meter) (bars start "
            + "every \(current.meter.beatsPerBar) beats); left out")
        continue
      }
      meters.append(MeterChange(tick: s.tick, bar: current.bar + Int(bars.numerator), meter: meter))
    }
  }

  /// `tick` in beats, exact.
  func beat(_ tick: Int64) -> BeatTime { BeatTime(tick, ticksPerQuarter) }

  /// The events sorted by tick, keeping only the last (in file order) at each tick.
  static func lastPerTick<T>(_ events: [T], tick: (T) -> Int64) -> [T] {
    let sorted = events.enumerated().sorted { (tick($0.element), $0.offset) < (tick($1.element), $1.offset) }
    var kept: [T] = []
    for (i, e) in sorted.enumerated() where i + 1 == sorted.count || tick(sorted[i + 1].element) != tick(e.element) {
      kept.append(e.element)
    }
    return kept
  }

  /// The bar `tick` falls in, counted from 1 through the meter changes (binary search).
  func bar(atTick tick: Int64) -> Int {
    var low = 0
    var high = meters.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if meters[mid].tick <= tick { low = mid } else { high = mid - 1 }
    }
    let change = meters[low]
    let bars = ((beat(tick) - beat(change.tick)) / change.meter.beatsPerBar).floor
    return change.bar + Int(bars.numerator)
  }
}

extension MIDIEvent {
  var isNoteOn: Bool {
    if case .noteOn = kind { return true }
    return false
  }
}
