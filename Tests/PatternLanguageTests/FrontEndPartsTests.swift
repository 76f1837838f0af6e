import Foundation
import Synchronization
import Testing

@testable import PatternLanguage

/// The front end's side-by-side paths (a file parsed in parts, top-level blocks lowered and expanded on several
/// threads) give exactly what one pass gives: the same tree, score and diagnostics, on every song in the
/// repository and on seeded mutations of them (which mostly fail, so the fall-back to one pass is compared too).
@Suite("Front end in parts", .serialized)
struct FrontEndPartsTests {
  /// Every `.pattern` file in the package (examples, golden songs, corpora).
  static func songs() throws -> [(name: String, bytes: [UInt8])] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var found: [(String, [UInt8])] = []
    for folder in ["Examples", "Tests"] {
      let base = root.appendingPathComponent(folder)
      guard let walk = FileManager.default.enumerator(atPath: base.path) else { continue }
      for case let path as String in walk where path.hasSuffix(".pattern") {
        found.append((folder + "/" + path, Array(try Data(contentsOf: base.appendingPathComponent(path)))))
      }
    }
    return found.sorted { $0.0 < $1.0 }
  }

  /// Compiles `bytes` with the side-by-side paths forced on (thresholds 1) or off.
  static func compile(_ bytes: [UInt8], inParts: Bool, limits: LanguageLimits = .default) -> CompiledPattern {
    let (bytesPerPart, statements) = inParts ? (1, 1) : (Int.max, Int.max)
    FrontEndParts.bytesPerPart.store(bytesPerPart, ordering: .relaxed)
    FrontEndParts.minimumStatements.store(statements, ordering: .relaxed)
    // Four parts whatever the cores: cuts between items and inside blocks, parts that start and end in a block.
    FrontEndParts.partsPerFile.store(inParts ? 4 : 0, ordering: .relaxed)
    defer {
      FrontEndParts.partsPerFile.store(0, ordering: .relaxed)
      FrontEndParts.bytesPerPart.store(FrontEndParts.defaultBytesPerPart, ordering: .relaxed)
      FrontEndParts.minimumStatements.store(1_000, ordering: .relaxed)
    }
    return PatternCompiler.compile(SourceFile(name: "song.pattern", bytes: bytes), limits: limits)
  }

  static func expectSame(_ bytes: [UInt8], _ what: String, limits: LanguageLimits = .default) {
    let parts = compile(bytes, inParts: true, limits: limits)
    let whole = compile(bytes, inParts: false, limits: limits)
    // Compared first, so a failure names the song instead of printing both trees.
    let sameTree = parts.file == whole.file
    #expect(sameTree, "\(what): tree")
    #expect(parts.diagnostics == whole.diagnostics, "\(what): diagnostics")
    // Events compared one by one: a failing #expect on the whole score would print all of it.
    #expect(parts.score.events.count == whole.score.events.count, "\(what): event count")
    let firstDifferent = zip(parts.score.events, whole.score.events).enumerated().first {
      $0.element.0 != $0.element.1
    }?.offset
    #expect(firstDifferent == nil, "\(what): event \(firstDifferent ?? -1)")
    var (a, b) = (parts.score, whole.score)
    (a.events, b.events) = ([], [])
    let sameScore = a == b
    #expect(sameScore, "\(what): score")
  }

  @Test("every song in the repository compiles to the same tree, score and diagnostics in parts and whole")
  func repositorySongs() throws {
    let songs = try Self.songs()
    #expect(songs.count >= 100)
    guard FrontEndParts.cores >= 2 else { return }
    let before = FrontEndParts.partsTaken.load(ordering: .relaxed)
    for song in songs { Self.expectSame(song.bytes, song.name) }
    // The forced paths ran (on clean songs with several top-level items or blocks), not only the fall-backs.
    #expect(FrontEndParts.partsTaken.load(ordering: .relaxed) - before >= 3 * 20)
  }

  @Test("seeded mutations (a byte removed, inserted or replaced) give the same result in parts and whole")
  func mutations() throws {
    let songs = try Self.songs()
    guard FrontEndParts.cores >= 2 else { return }
    for (bytes, name) in Self.mutations(of: songs, seed: 0x5EED_F00D, noise: "{}()[];,\"/*'x=-1 \n", rounds: 4) {
      Self.expectSame(bytes, name)
    }
  }

  /// `rounds` seeded mutations of each non-empty song: a byte removed, or one of `noise` inserted or put in its
  /// place; with their names.
  static func mutations(
    of songs: [(name: String, bytes: [UInt8])], seed: UInt64, noise: String, rounds: Int
  ) -> [(bytes: [UInt8], name: String)] {
    var state = seed
    func draw(_ n: Int) -> Int {
      state = StreamKey.mix(state)
      return Int(state % UInt64(n))
    }
    let noise = Array(noise.utf8)
    var mutated: [(bytes: [UInt8], name: String)] = []
    for song in songs where !song.bytes.isEmpty {
      for round in 0..<rounds {
        var bytes = song.bytes
        let at = draw(bytes.count)
        switch draw(3) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(noise[draw(noise.count)], at: at)
        default: bytes[at] = noise[draw(noise.count)]
        }
        mutated.append((bytes, "\(song.name) mutation \(round) at \(at)"))
      }
    }
    return mutated
  }

  @Test("events at equal times in several blocks (and in sections after them) keep one pass's order when merged")
  func ties() {
    let blocks = (0..<6).map { k in
      "melody { " + (0..<40).map { i in "piano \(60 + k) \(i / 4) dur=1/4;" }.joined(separator: " ") + " }"
    }
    let text =
      "tempo 120;\n" + blocks.joined(separator: "\n")
      + "\nsection a { rhythm { piano C2 0; piano D2 0; } }\narrange { a x3; }\n"
    Self.expectSame(Array(text.utf8), "ties")
    let parts = Self.compile(Array(text.utf8), inParts: true)
    #expect(parts.diagnostics.isEmpty, "\(parts.diagnostics.map(\.message))")
    #expect(parts.score.events.count == 6 * 40 + 6)
  }

  @Test("random strings whose work reaches the song's budget exactly fail in parts as in one pass")
  func miniBudget() {
    // A string with `cycles N` and a random choice does N steps of work; the song's budget is 8 × maxMiniWork and
    // one pass lets a string through only below what is left of it: 80 strings of 100 steps reach 8 × 1,000.
    var limits = LanguageLimits.default
    limits.maxMiniWork = 1_000
    for strings in [79, 80] {
      let text =
        "melody {\n" + String(repeating: "  piano \"C4?0.999\" cycles 100 over 1/8;\n", count: strings)
        + (0..<50).map { "  piano C4 \($0);\n" }.joined() + "}\n"
      Self.expectSame(Array(text.utf8), "\(strings) random strings", limits: limits)
      #expect(Self.compile(Array(text.utf8), inParts: true, limits: limits).succeeded == (strings == 79))
    }
  }

  @Test("cuts fall after top-level items and between a top-level block's statements only")
  func cuts() {
    let text = """
      tempo 120; // a; b
      let m = { piano C4 0; };
      melody { piano "x;y" 0; piano C4 1; }
      /* ; { */ rhythm(gain=-3) { kit Kick 0; repeat 2 every 1 { kit Snare 0; } }
      section s { melody { piano C4 0; } }
      """
    func after(_ prefix: String) -> Int {
      text.range(of: prefix).map { text.utf8.distance(from: text.startIndex, to: $0.upperBound) } ?? -1
    }
    let allowed: [SourceCuts.Cut] = [
      .init(offset: after("tempo 120;"), insideBlock: false),
      .init(offset: after("let m = { piano C4 0; };"), insideBlock: false),
      .init(offset: after("melody { piano \"x;y\" 0;"), insideBlock: true),
      .init(offset: after("piano C4 1;"), insideBlock: true),
      .init(offset: after("piano C4 1; }"), insideBlock: false),
      .init(offset: after("kit Kick 0;"), insideBlock: true),
      .init(offset: after("kit Snare 0; } }"), insideBlock: false),
    ]
    let cuts = SourceCuts.cuts(in: Array(text.utf8), parts: 16) ?? []
    #expect(cuts.count >= 5)
    for cut in cuts { #expect(allowed.contains(cut), "cut at \(cut.offset)") }
    // A stray '}' before any place to cut: the file is broken, parsed whole.
    #expect(SourceCuts.cuts(in: Array("} melody { } rhythm { }".utf8), parts: 2) == nil)
  }

  @Test("one long block cut between its statements parses as one pass does")
  func oneBlock() {
    let notes = (0..<3_000).map { "  lead C4 \($0) dur=1/2 vel=0.8;" }.joined(separator: "\n")
    let text = "import lead from \"grand\";\nmelody(gain=-3) {\n\(notes)\n  repeat 2 every 4 { lead E4 0; }\n}\n"
    let bytes = Array(text.utf8)
    let cuts = SourceCuts.cuts(in: bytes, parts: 4) ?? []
    #expect(cuts.count == 3 && cuts.allSatisfy(\.insideBlock))
    let before = FrontEndParts.partsTaken.load(ordering: .relaxed)
    Self.expectSame(bytes, "one block")
    #expect(FrontEndParts.partsTaken.load(ordering: .relaxed) > before)
  }

  @Test("a long block parsed in parts reads its attributes from the bytes up to each part's end, as token by token")
  func plainAttributesInParts() {
    let notes = (0..<2_000).map { "  lead C4 \($0) dur=1/2 vel=0.\($0 % 10) pan=-0.25;" }.joined(separator: "\n")
    let text = "import lead from \"grand\";\nmelody {\n\(notes)\n}\n"
    let source = SourceFile(name: "song.pattern", text: text)
    guard FrontEndParts.cores >= 2 else { return }
    FrontEndParts.partsPerFile.store(4, ordering: .relaxed)
    FrontEndParts.bytesPerPart.store(1, ordering: .relaxed)
    defer {
      FrontEndParts.partsPerFile.store(0, ordering: .relaxed)
      FrontEndParts.bytesPerPart.store(FrontEndParts.defaultBytesPerPart, ordering: .relaxed)
    }
    let (taken, read) = (
      FrontEndParts.partsTaken.load(ordering: .relaxed), FrontEndParts.plainAttributesRead.load(ordering: .relaxed)
    )
    let plain = PatternCompiler.parse(source)
    #expect(FrontEndParts.partsTaken.load(ordering: .relaxed) > taken)
    #expect(FrontEndParts.plainAttributesRead.load(ordering: .relaxed) - read >= 6_000)
    let tokens = PatternCompiler.parse(source, plainAttributes: false)
    let same = plain.file == tokens.file
    #expect(same && plain.diagnostics.isEmpty && tokens.diagnostics.isEmpty)
    #expect(PatternCompiler.compile(plain).score.events.count == 2_000)
  }

  @Test("by default a large file is parsed in several parts per core, to what one pass gives")
  func defaultParts() {
    // W2's shape: synth blocks of long statements, then a drum block with 2.5× the statements per byte.
    var text = "import kit from \"drums\";\ntempo 120;\n"
    for block in ["contrast", "melody"] {
      text += "\(block) {\n"
      for beat in 0..<700 {
        text += "  saw \(36 + beat % 24) \(beat) dur=1/2 vel=1 pan=0 attack=0.005 decay=0.1 sustain=0.6 release=0.05;\n"
      }
      text += "}\n"
    }
    text += "rhythm {\n" + (0..<1_800).map { "  kit HiHat \($0) vel=4/15 pan=2/5;" }.joined(separator: "\n") + "\n}\n"
    let bytes = Array(text.utf8)
    #expect(bytes.count > 16 * FrontEndParts.defaultBytesPerPart)
    guard FrontEndParts.cores >= 2 else { return }
    // Several parts per core (16 on two cores), not one: counted by the parse itself. (Other suites' parses can only
    // add to the count, never make this pass with fewer parts than asked.)
    let wanted = min(FrontEndParts.cores * 8, 16)
    let (taken, parsed) = (
      FrontEndParts.partsTaken.load(ordering: .relaxed), FrontEndParts.partsParsed.load(ordering: .relaxed)
    )
    let parts = PatternCompiler.compile(SourceFile(name: "song.pattern", bytes: bytes))
    #expect(FrontEndParts.partsTaken.load(ordering: .relaxed) - taken >= 3)
    #expect(FrontEndParts.partsParsed.load(ordering: .relaxed) - parsed >= wanted)
    let whole = Self.compile(bytes, inParts: false)
    let sameTree = parts.file == whole.file
    #expect(sameTree && parts.diagnostics.isEmpty && whole.diagnostics.isEmpty)
    #expect(parts.score.events.count == 3_200 && parts.score.events == whole.score.events)
  }

  @Test("the caller's work alongside a parse runs exactly once: a small file, one in parts, one that falls back")
  func alongsideOnce() {
    var long = "import kit from \"drums\";\nrhythm {\n"
    long += (0..<4_000).map { "  kit HiHat \($0) vel=4/15 pan=2/5;" }.joined(separator: "\n") + "\n}\n"
    let broken = long.replacingOccurrences(of: "kit HiHat 3000 ", with: "kit HiHat 3000 = ")
    for text in ["melody { sine C4 0; }", long, broken] {
      let source = SourceFile(name: "song.pattern", text: text)
      // With a helper thread running, as in a large `check` or `render` (without one, the dispatch pool's threads).
      if FrontEndParts.cores >= 2 { PartsHelper.start() }
      var calls = 0
      let parsed = PatternCompiler.parse(source) { calls += 1 }
      let plain = PatternCompiler.parse(source)
      #expect(calls == 1, "\(text.prefix(30)): \(calls) calls")
      #expect(parsed.file == plain.file && parsed.diagnostics == plain.diagnostics)
    }
  }

  @Test("work slices cover every item once, in order, in runs of about equal cost")
  func slices() {
    let costs = [
      [Int](repeating: 1, count: 1_441), [], [Int](repeating: 2, count: 300), [5], [Int](repeating: 1, count: 725),
    ]
    let slices = WorkSlices.slices(costs: costs, pieces: 8)
    var covered: [(Int, Int)] = []
    for s in slices { covered += s.items.map { (s.block, $0) } }
    let all = costs.indices.flatMap { b in costs[b].indices.map { (b, $0) } }
    #expect(covered.map(\.0) == all.map(\.0) && covered.map(\.1) == all.map(\.1))
    let total = costs.joined().reduce(0, +)
    for s in slices { #expect(costs[s.block][s.items].reduce(0, +) <= (total + 7) / 8 + 5) }
    #expect(slices.count >= 8 && slices.count <= 12)
  }

  @Test("a part's lexer counts lines and columns as a whole-file lexer does, past multi-byte characters")
  func partPositions() {
    let source = SourceFile(name: "t.pattern", text: "\u{FEFF}tempo 120; // é\nmelody { piano C4 0; }  é; rhythm { }")
    for offset in [3, 10, 20, source.bytes.count - 10, source.bytes.count] {
      var whole = Lexer(source: source)
      var location = SourceLocation(offset: 0, line: 1, column: 1)
      while true {
        let lexeme = whole.nextLexeme()
        if lexeme.range.start.offset >= offset || lexeme.kind == .endOfFile { break }
        location = lexeme.range.end
      }
      let (line, column) = source.lineAndColumn(at: location.offset)
      #expect(line == location.line && column == location.column, "offset \(location.offset)")
    }
  }
}
