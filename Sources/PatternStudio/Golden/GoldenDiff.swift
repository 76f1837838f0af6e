import Foundation
import PatternLanguage

/// Explains how a render differs from its golden record: whether the events changed (and the first one that
/// did, with its source location) or only the audio; where the audio first differs (time and bar:beat);
/// which bars and sections differ; the level change; and what sounds at that moment.
public enum GoldenDiff {
  /// Lines of explanation; empty when the two agree.
  public static func explain(golden: GoldenRecord, current: GoldenRecord, compiled: CompiledPattern) -> [String] {
    guard golden.pcm != current.pcm || golden.events.sha256 != current.events.sha256 else { return [] }
    var lines: [String] = []
    let score = compiled.score
    if golden.engine != current.engine {
      lines.append("the engine's sound changed (golden engine \(golden.engine), now \(current.engine))")
    }
    if golden.events.sha256 != current.events.sha256 {
      let i = firstDifference(golden.events.each, current.events.each, width: 8)
      let counts =
        golden.events.count == current.events.count
        ? "" : " (golden \(golden.events.count) events, now \(current.events.count))"
      if i < score.events.count {
        let e = score.events[i]
        lines.append(
          "events changed\(counts): first at event \(i + 1): \(score.eventText(e)) at \(compiled.source.name):\(e.location)"
        )
      } else {
        lines.append("events changed\(counts): the last \(golden.events.count - current.events.count) were removed")
      }
    } else {
      lines.append("the events are the same; only the audio changed")
    }
    guard golden.pcm != current.pcm else { return lines }
    if golden.frames != current.frames {
      lines.append("length: \(golden.seconds) s → \(current.seconds) s (\(golden.frames) → \(current.frames) frames)")
    }
    let block = firstDifference(golden.blocks.digests, current.blocks.digests, width: 8)
    let frame = Int64(block) * current.blocks.frames
    let rate = Double(current.settings.rate)
    let (where_, beat) = barBeat(frame: frame, current, score)
    lines.append(
      "audio first differs in frames \(frame)–\(frame + current.blocks.frames - 1) "
        + "(\(String(format: "%.3f", Double(frame) / rate)) s, \(where_))")
    let bars = differing(golden.bars, current.bars)
    if !bars.isEmpty { lines.append("bars that differ: " + list(bars.map(\.name))) }
    let sections = differing(golden.sections, current.sections)
    if !sections.isEmpty { lines.append("sections that differ: " + list(sections.map(\.name))) }
    if let first = bars.first, let old = golden.bars.first(where: { $0.name == first.name }) {
      lines.append("\(first.name): " + level(old, first))
    }
    lines.append(
      "whole song: peak \(db(golden.peakDbfs)) → \(db(current.peakDbfs)) dBFS (\(delta(current.peakDbfs - golden.peakDbfs))), "
        + "RMS \(db(golden.rmsDbfs)) → \(db(current.rmsDbfs)) dBFS (\(delta(current.rmsDbfs - golden.rmsDbfs)))")
    if let beat {
      // Most recent onsets first: a changed note is usually the one that just started.
      let sounding = score.events.filter { $0.start <= beat && beat <= $0.start + $0.duration + .one }
        .sorted { $0.start > $1.start }.prefix(4)
      if !sounding.isEmpty {
        lines.append(
          "sounding then: "
            + sounding.map { "\($0.instrumentName) \($0.note.displayName) (\(compiled.source.name):\($0.location))" }
            .joined(separator: ", "))
      }
    }
    return lines
  }

  /// Index of the first `width`-character chunk that differs (or where one string ends).
  static func firstDifference(_ a: String, _ b: String, width: Int) -> Int {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    var i = 0
    while i * width < x.count && i * width < y.count {
      if x[(i * width)..<min(x.count, (i + 1) * width)] != y[(i * width)..<min(y.count, (i + 1) * width)] { return i }
      i += 1
    }
    return i
  }

  /// Segments whose digest or length differs, in order (matched by position).
  static func differing(_ old: [GoldenSegment], _ new: [GoldenSegment]) -> [GoldenSegment] {
    new.enumerated().filter { i, s in i >= old.count || old[i].digest != s.digest || old[i].frames != s.frames }.map(
      \.element)
  }

  /// "bar 5 beat 2.75" (or "the tail after the last bar"), and the beat in the song.
  static func barBeat(frame: Int64, _ record: GoldenRecord, _ score: Score) -> (String, BeatTime?) {
    guard let i = record.bars.firstIndex(where: { $0.start <= frame && frame < $0.start + $0.frames }) else {
      return ("after the end", nil)
    }
    let bar = record.bars[i]
    guard bar.name != "tail" else { return ("in the tail after the last bar", nil) }
    // Bar i + 1 of the meter map; its length in beats may differ from its neighbours'. It ends where the next
    // segment starts (its own `frames` stop early when the render ends inside it).
    let length = score.meterMap.length(ofBar: i + 1)
    let barFrames = record.bars[i + 1].start - bar.start
    let within = Double(frame - bar.start) / Double(max(1, barFrames)) * length.doubleValue
    let beat = score.meterMap.start(ofBar: i + 1) + BeatTime(Int64((within * 1000).rounded(.down)), 1000)
    return ("\(bar.name) beat \(String(format: "%.2f", within + 1))", beat)
  }

  static func level(_ old: GoldenSegment, _ new: GoldenSegment) -> String {
    "peak \(db(old.peakDbfs)) → \(db(new.peakDbfs)) dBFS (\(delta(new.peakDbfs - old.peakDbfs))), "
      + "RMS \(db(old.rmsDbfs)) → \(db(new.rmsDbfs)) dBFS (\(delta(new.rmsDbfs - old.rmsDbfs)))"
  }

  static func db(_ x: Double) -> String { x <= -200 ? "-inf" : String(format: "%.2f", x) }
  static func delta(_ x: Double) -> String { String(format: "%+.2f dB", x) }
  static func list(_ names: [String]) -> String {
    names.count <= 8
      ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
  }
}
