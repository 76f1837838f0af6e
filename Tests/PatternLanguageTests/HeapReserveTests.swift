import Synchronization
import Testing

@testable import PatternLanguage

/// The room a large compile makes ahead in its malloc arena (`HeapReserve`) changes only where blocks come from:
/// the same song compiles to the same tree, score and diagnostics, and small songs, processes that did not enable
/// it and threads that already made as much room make none.
@Suite("Heap reserve", .serialized)
struct HeapReserveTests {
  /// W2's kind of song: `count` bars of four saw notes with seven attributes each (~290 bytes a bar).
  static func largeSong(bars: Int) -> SourceFile {
    var text = "tempo 120;\nmelody {\n"
    for bar in 0..<bars {
      for beat in 0..<4 {
        text += "  saw \(36 + (bar * 7 + beat * 5) % 24) \(bar * 4 + beat) dur=1/2 vel=0.8 pan=0 attack=0.005 "
        text += "decay=0.1 sustain=0.6 release=0.05;\n"
      }
    }
    return SourceFile(name: "large.pattern", text: text + "}\n")
  }

  @Test("a large song compiles to the same tree, score and diagnostics with and without the reserve")
  func sameResult() {
    let song = Self.largeSong(bars: 400)
    #expect(song.bytes.count >= HeapReserve.minimumSourceBytes)
    let wasEnabled = HeapReserve.enabled.load(ordering: .relaxed)
    defer { HeapReserve.enabled.store(wasEnabled, ordering: .relaxed) }
    HeapReserve.enabled.store(false, ordering: .relaxed)
    let without = PatternCompiler.compile(song)
    HeapReserve.enable()
    let with = PatternCompiler.compile(song)
    #expect(without.succeeded && without.score.events.count == 1_600)
    #expect(with.file == without.file)
    #expect(with.diagnostics == without.diagnostics)
    #expect(with.score == without.score)
  }

  @Test("room is made only when enabled, for sources of 64 KB or more, once per thread and size")
  func whenRoomIsMade() async {
    let wasEnabled = HeapReserve.enabled.load(ordering: .relaxed)
    defer { HeapReserve.enabled.store(wasEnabled, ordering: .relaxed) }
    HeapReserve.enabled.store(false, ordering: .relaxed)
    // On a thread of its own, so no earlier reserve on this thread is counted.
    let made = await Task.detached { () -> [Bool] in
      var made = [HeapReserve.reserve(forSource: 1 << 20)]
      HeapReserve.enable()
      made.append(HeapReserve.reserve(forSource: HeapReserve.minimumSourceBytes - 1))
      // More than the other tests reserve on any thread (their songs are under 200 KB).
      made.append(HeapReserve.reserve(forSource: 500_000))
      made.append(HeapReserve.reserve(forSource: 500_000))
      made.append(HeapReserve.reserve(forSource: 250_000))
      made.append(HeapReserve.reserve(forSource: 1_000_000))
      return made
    }.value
    #expect(made == [false, false, true, false, false, true])
  }
}
