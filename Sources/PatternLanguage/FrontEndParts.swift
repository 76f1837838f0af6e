import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// When the front end splits its work over cores: a file parsed in parts (`Parser.parseInParts`), runs of top-level
/// statements lowered and expanded side by side (`Lowering.lowerBlocksInParts`, `Expander.expandBlocksInParts`).
/// Either way gives the same tree, score and diagnostics; the thresholds only keep small songs on one thread,
/// where waking another costs more (~50 µs) than it saves. Tests lower them to 1 to compare both ways.
enum FrontEndParts {
  /// Bytes per part at least; a file below `minimumPartsPerFile` parts' worth (64 KB) is parsed whole, as it was
  /// when it was cut in one 32 KB part per core (a song of a few KB parses in well under a millisecond).
  static let bytesPerPart = Atomic<Int>(defaultBytesPerPart)
  static let defaultBytesPerPart = 8 * 1024
  static let minimumPartsPerFile = 8
  /// Parts a large file is parsed in: 0 for `partsPerCore` per core (at most 16; one core parses it whole); tests
  /// set their own.
  static let partsPerFile = Atomic<Int>(0)
  /// Parts per core by default: many, taken by whichever thread is free, so a thread that starts late (an idle
  /// vCPU here wakes up to ~1 ms late) takes fewer, and a part dense with short statements (a drum block: 2.5×
  /// the notes per byte of a synth block) does not hold the others up. Measured on W2 (`check`, medians of 20
  /// runs): the parse 4.1 ms in one part per core, 3.4 ms in sixteen parts; on one core sixteen parts cost ~0.5 ms
  /// more than one.
  static let partsPerCore = 8
  /// Note statements (lowering) or top-level statements (expansion) the top-level blocks need together.
  static let minimumStatements = Atomic<Int>(1_000)

  /// How many attributes parsers read from the bytes (`Parser.readPlainAttributes`), what tests check was exercised.
  static let plainAttributesRead = Atomic<Int>(0)

  /// How many times a front-end step took its side-by-side path (what tests check was exercised).
  static let partsTaken = Atomic<Int>(0)
  /// How many parts files parsed in parts were cut into, all together (what tests check of the part count).
  static let partsParsed = Atomic<Int>(0)

  /// Runs `body` for 0 ..< `count` on the front end's threads — this one and a large compile's helper
  /// (`PartsHelper`), or `concurrentPerform`'s, each thread first making room in its arena for a thread's share of
  /// the source (`HeapReserve.reserveShare`): the one way a step works side by side. `alongside` runs once on this
  /// thread: while the helper takes the first indices, or (without one) before them.
  static func forEach(_ count: Int, alongside: () -> Void = {}, _ body: @Sendable (Int) -> Void) {
    // A large one-shot compile's helper thread, already running (`PartsHelper`); else the dispatch pool's.
    if PartsHelper.run(count, alongside: alongside, body) { return }
    alongside()
    DispatchQueue.concurrentPerform(iterations: count) { k in
      HeapReserve.reserveShare()
      body(k)
    }
  }

  /// The thresholds' current values, and counting a step that took its path.
  static var partBytes: Int { bytesPerPart.load(ordering: .relaxed) }
  static var parts: Int {
    let wanted = partsPerFile.load(ordering: .relaxed)
    return wanted > 0 ? wanted : cores >= 2 ? min(cores * partsPerCore, 16) : 1
  }
  static var statementsNeeded: Int { minimumStatements.load(ordering: .relaxed) }
  static func taken() { partsTaken.add(1, ordering: .relaxed) }
  /// Counting a parse in `parts` parts that took its path.
  static func taken(parts: Int) {
    taken()
    partsParsed.add(parts, ordering: .relaxed)
  }

  /// The machine's online cores (1 when unknown; CPU affinity and cgroup quotas are not consulted).
  static let cores: Int = {
    #if canImport(Glibc)
      return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
      return 1
    #endif
  }()
}
