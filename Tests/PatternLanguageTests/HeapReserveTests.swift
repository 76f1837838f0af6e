import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

/// The room a large compile makes ahead in its malloc arenas (`HeapReserve`) changes only where blocks come from:
/// the same song compiles to the same tree, score and diagnostics; and room is made only when enabled, for large
/// sources, once per thread and size.
@Suite("Heap reserve", .serialized)
struct HeapReserveTests {
  /// W2's kind of song: `bars` bars of four saw notes with seven attributes each (~290 bytes a bar).
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

  /// `body`'s result, computed on a thread of its own (so no reserve made earlier on another thread counts).
  static func onNewThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let value = body()
      result.withLock { $0 = value }
      done.signal()
    }
    thread.start()
    done.wait()
    return result.withLock { $0! }
  }

  @Test("a large song compiles to the same tree, score and diagnostics with and without the reserve")
  func sameResult() {
    let song = Self.largeSong(bars: 400)
    #expect(song.bytes.count >= HeapReserve.minimumSourceBytes)
    let wasEnabled = HeapReserve.enabled.load(ordering: .relaxed)
    defer { HeapReserve.enabled.store(wasEnabled, ordering: .relaxed) }
    HeapReserve.enabled.store(false, ordering: .relaxed)
    let without = PatternCompiler.compile(song)
    HeapReserve.enabled.store(true, ordering: .relaxed)
    let madeBefore = HeapReserve.made.load(ordering: .relaxed)
    // On a new thread: its arena has no reserve yet, so this compile makes one.
    let with = Self.onNewThread { PatternCompiler.compile(song) }
    #expect(HeapReserve.made.load(ordering: .relaxed) > madeBefore)
    #expect(without.succeeded && without.score.events.count == 1_600)
    #expect(with.file == without.file)
    #expect(with.diagnostics == without.diagnostics)
    #expect(with.score == without.score)
  }

  @Test("room is made only when enabled, for sources of 64 KB or more, once per thread and size (at most 28 MB)")
  func whenRoomIsMade() {
    let wasEnabled = HeapReserve.enabled.load(ordering: .relaxed)
    defer { HeapReserve.enabled.store(wasEnabled, ordering: .relaxed) }
    let made = Self.onNewThread { () -> [Bool] in
      HeapReserve.enabled.store(false, ordering: .relaxed)
      var made = [HeapReserve.reserve(forSource: 1 << 20)]
      HeapReserve.enabled.store(true, ordering: .relaxed)
      made.append(HeapReserve.reserve(forSource: HeapReserve.minimumSourceBytes - 1))
      for megabytes in [12, 12, 6, 24, 40, 50] { made.append(HeapReserve.reserve(megabytes << 20)) }
      return made
    }
    #expect(made == [false, false, true, false, false, true, true, false])
  }

  @Test("a reserve advises whole huge pages inside its block, at least the size asked, and keeps the room below")
  func layout() {
    let huge = HeapReserve.hugePage
    #expect(HeapReserve.taken(size: HeapReserve.maximumBytes) < 32 << 20)  // below `enable`'s mmap threshold
    for size in [1, huge - 1, huge, 7 << 19, HeapReserve.maximumBytes] {
      // A new arena's first block (2 KB past a 64 MB boundary), blocks of the main arena, one on a boundary.
      for block in [0x7FFF_F000_0E30, 0x41C_E290, 0x4000_0010, 0x4020_0000 - 16, 0x4020_0000] {
        let (start, advised, below) = HeapReserve.layout(size: size, block: block)
        #expect(start % huge == 0 && start >= block && start - block < huge)
        #expect(advised % huge == 0 && advised >= size && advised < size + huge)
        #expect(start + advised <= block + HeapReserve.taken(size: size))
        // glibc's chunk for `below` bytes (16-byte aligned: its size plus the header) ends where the next block's
        // header starts, so that block's room starts at `start`.
        if start - block > HeapReserve.headerBytes {
          #expect(block - HeapReserve.headerBytes + below + HeapReserve.headerBytes == start - HeapReserve.headerBytes)
        } else {
          #expect(below == 0)
        }
      }
    }
  }

  @Test("the room below a reserve's first huge page is kept where the reserve was, on a thread's own arena")
  func roomKeptInPlace() {
    let wasEnabled = HeapReserve.enabled.load(ordering: .relaxed)
    defer { HeapReserve.enabled.store(wasEnabled, ordering: .relaxed) }
    HeapReserve.enabled.store(true, ordering: .relaxed)
    for megabytes in [3, 8] {
      let made = Self.onNewThread { HeapReserve.makeRoom(megabytes << 20) }
      #expect(made != nil)
      guard let (block, kept) = made else { continue }
      // Shrunk in place: the kept block is the reserve's own (none when the reserve began on a boundary).
      let below = HeapReserve.layout(size: megabytes << 20, block: block).below
      #expect(kept == (below > 0 ? block : 0))
    }
  }
}
