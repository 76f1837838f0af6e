/// Each channel's program changes (from every track) by tick, for the program a note starts under.
struct ProgramTimeline {
  /// Per channel: (tick, program), sorted by tick, file order within a tick.
  private var changes = [[(tick: Int64, program: Int)]](repeating: [], count: 16)

  init(_ file: MIDIFile) {
    for track in file.tracks {
      for e in track.events {
        if case .programChange(let c, let p) = e.kind { changes[Int(c)].append((e.tick, Int(p))) }
      }
    }
    for c in 0..<16 {
      changes[c] = changes[c].enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
        .map(\.element)
    }
  }

  /// The last program set on `channel` at or before `tick` (0, Acoustic Grand Piano, when none was).
  func program(channel: UInt8, atTick tick: Int64) -> Int {
    let list = changes[Int(channel)]
    var low = 0
    var high = list.count
    while low < high {
      let mid = (low + high) / 2
      if list[mid].tick <= tick { low = mid + 1 } else { high = mid }
    }
    return low == 0 ? 0 : list[low - 1].program
  }
}
