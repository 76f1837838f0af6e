/// Song-form checks over a lowered program: motifs that play themselves and sections arranged inside
/// themselves (directly or through others) are errors; then every section gets its length.
struct SongForm {
  var program: Program
  let limits: LanguageLimits
  var diagnostics: [Diagnostic]
  private var motifEnds: [BeatTime?]
  private var motifStarts: [BeatTime?]

  init(program: Program, limits: LanguageLimits, diagnostics: [Diagnostic]) {
    self.program = program
    self.limits = limits
    self.diagnostics = diagnostics
    motifEnds = Array(repeating: nil, count: program.motifs.count)
    motifStarts = Array(repeating: nil, count: program.motifs.count)
  }

  /// Runs the checks, writing lengths and diagnostics back.
  mutating func check() -> (Program, [Diagnostic]) {
    let plays = program.motifs.map { Self.plays(in: $0.nodes) }
    let motifCycle = reportCycle(
      plays.map { $0.map { ($0.motif, $0.range) } }, names: program.motifs.map(\.name),
      message: { "motif '\($0)' plays itself (\($1))" },
      hint: "a motif cannot play itself, directly or through other motifs")
    let sectionCycle = reportCycle(
      program.sections.map { $0.arrangement.map { ($0.section, $0.range) } }, names: program.sections.map(\.name),
      message: { "section '\($0)' is arranged inside itself (\($1))" },
      hint: "a section cannot contain itself, directly or through other sections")
    if motifCycle || sectionCycle { return (program, diagnostics) }
    // Chains are bounded too: expansion, lengths and the renderer recurse once per level.
    let motifDeep = reportDepth(
      plays.map { $0.map { ($0.motif, $0.range) } }, what: "motifs play", limit: limits.maxFormDepth)
    let sectionDeep = reportDepth(
      program.sections.map { $0.arrangement.map { ($0.section, $0.range) } }, what: "sections are arranged",
      limit: limits.maxFormDepth)
    if motifDeep || sectionDeep { return (program, diagnostics) }
    // Motif spans (for `reverse`), then section lengths, innermost first: a section's arrangement only names
    // sections without a cycle.
    for i in program.motifs.indices {
      program.motifs[i].end = motifEnd(i)
      program.motifs[i].start = motifStart(i)
    }
    var done = Array(repeating: false, count: program.sections.count)
    for i in program.sections.indices { computeLength(i, &done) }
    return (program, diagnostics)
  }

  /// Reports the first cycle of `edges` (target, where it is written) at the edge that closes it; true if any.
  private mutating func reportCycle(
    _ edges: [[(target: Int, range: SourceRange)]], names: [String], message: (String, String) -> String,
    hint: String
  ) -> Bool {
    let targets = edges.map { $0.map(\.target) }
    guard let (from, at) = findCycle(edges: targets) else { return false }
    let edge = edges[from][at]
    let chain = cycleText(start: edge.target, edges: targets, names: names)
    diagnostics.append(.error(message(names[edge.target], chain), at: edge.range, hint: hint))
    return true
  }

  private mutating func computeLength(_ i: Int, _ done: inout [Bool]) {
    if done[i] { return }
    for slot in program.sections[i].arrangement { computeLength(slot.section, &done) }
    let section = program.sections[i]
    if let explicit = section.explicitLength {
      program.sections[i].length = explicit
    } else {
      var end = section.blocks.map { self.end(of: $0.nodes) }.max() ?? .zero
      let arranged = section.arrangement.reduce(BeatTime.zero) {
        $0 + BeatTime(Int64($1.count)) * program.sections[$1.section].length
      }
      end = max(end, arranged)
      // Whole bars of the section's own meter, or of the song's opening one.
      let bar = (section.meter ?? program.meterMap.opening).beatsPerBar
      program.sections[i].length = (end / bar).ceiling * bar
    }
    done[i] = true
  }

  /// Where the last note of `nodes` ends (start + dur, before nudges), in beats from their origin.
  private mutating func end(of nodes: [Node]) -> BeatTime {
    var end = BeatTime.zero
    for node in nodes {
      switch node {
      case .note(let n):
        if let last = n.onsets.max() { end = max(end, last + n.duration) }
      case .repeat(let count, let every, let body, _, _):
        let bodyEnd = self.end(of: body)
        if bodyEnd > .zero { end = max(end, BeatTime(Int64(count - 1)) * every + bodyEnd) }
      case .play(let p):
        let motifEnd = motifEnd(p.motif)
        guard motifEnd > .zero else { continue }
        for shape in Self.shapes(p) {
          end = max(end, p.at + shape.extent(start: motifStart(p.motif), end: motifEnd).end)
        }
      }
    }
    return end
  }

  /// Where the first note of `nodes` starts, in beats from their origin (0 when there is none).
  private mutating func start(of nodes: [Node]) -> BeatTime {
    var start: BeatTime?
    for node in nodes {
      var first: BeatTime?
      switch node {
      case .note(let n): first = n.onsets.min()
      case .repeat(_, _, let body, _, _): first = body.isEmpty ? nil : self.start(of: body)
      case .play(let p):
        guard motifEnd(p.motif) > .zero else { continue }
        first = Self.shapes(p).map { p.at + $0.extent(start: motifStart(p.motif), end: motifEnd(p.motif)).start }.min()
      }
      if let first { start = min(start ?? first, first) }
    }
    return start ?? .zero
  }

  private mutating func motifEnd(_ m: Int) -> BeatTime {
    if motifEnds[m] == nil { motifEnds[m] = end(of: program.motifs[m].nodes) }
    return motifEnds[m]!
  }

  private mutating func motifStart(_ m: Int) -> BeatTime {
    if motifStarts[m] == nil { motifStarts[m] = start(of: program.motifs[m].nodes) }
    return motifStarts[m]!
  }

  /// The shapes a play may take: as written, with each `every=` change, and with all of them.
  private static func shapes(_ p: PlayNode) -> [PlayShape] {
    guard !p.every.isEmpty else { return [p.shape] }
    var all = p.shape
    var shapes = [p.shape]
    for clause in p.every {
      var one = p.shape
      one.apply(clause.change)
      all.apply(clause.change)
      shapes.append(one)
    }
    return shapes + [all]
  }

  /// The `play` statements of a body, nested repeats included, in order.
  static func plays(in nodes: [Node]) -> [PlayNode] {
    nodes.flatMap { node -> [PlayNode] in
      switch node {
      case .note: return []
      case .play(let p): return [p]
      case .repeat(_, _, let body, _, _): return plays(in: body)
      }
    }
  }

  /// Reports the first chain deeper than `limit` at the edge that enters it; true if any.
  private mutating func reportDepth(
    _ edges: [[(target: Int, range: SourceRange)]], what: String, limit: Int
  ) -> Bool {
    let depth = Self.walk(edges: edges.map { $0.map(\.target) }).depth
    for (v, out) in edges.enumerated() where depth[v] > limit {
      guard let edge = out.first(where: { depth[$0.target] == depth[v] - 1 }) else { continue }
      diagnostics.append(
        .error(
          "\(what) inside each other \(depth[v]) levels deep; the limit is \(limit)", at: edge.range,
          hint: "flatten the song form: arrange the inner parts side by side"))
      return true
    }
    return false
  }

  /// The first edge (node, edge index) that closes a cycle, by depth-first search in index order.
  private func findCycle(edges: [[Int]]) -> (Int, Int)? { Self.walk(edges: edges).cycle }

  /// Depth-first search in index order without recursion (a chain of 20,000 sections must not exhaust a
  /// thread's stack): the first edge that closes a cycle, and each node's depth (1 + the deepest it reaches).
  /// Linear in nodes + edges.
  static func walk(edges: [[Int]]) -> (cycle: (Int, Int)?, depth: [Int]) {
    var state = [UInt8](repeating: 0, count: edges.count)  // 0 new, 1 on the path, 2 finished
    var depth = [Int](repeating: 1, count: edges.count)
    var stack: [(v: Int, k: Int)] = []
    for root in edges.indices where state[root] == 0 {
      state[root] = 1
      stack.append((root, 0))
      while let (v, k) = stack.last {
        if k < edges[v].count {
          stack[stack.count - 1].k += 1
          let w = edges[v][k]
          switch state[w] {
          case 1: return ((v, k), depth)
          case 0:
            state[w] = 1
            stack.append((w, 0))
          default: depth[v] = max(depth[v], depth[w] + 1)
          }
        } else {
          state[v] = 2
          stack.removeLast()
          if let parent = stack.last { depth[parent.v] = max(depth[parent.v], depth[v] + 1) }
        }
      }
    }
    return (nil, depth)
  }

  /// `a → b → a`: the shortest way round from `start` back to itself.
  private func cycleText(start: Int, edges: [[Int]], names: [String]) -> String {
    var previous = [Int: Int]()
    var queue = [start]
    var head = 0
    while head < queue.count {
      let v = queue[head]
      head += 1
      for w in edges[v] {
        if w == start {
          var path = [v]
          while let p = previous[path[0]] { path.insert(p, at: 0) }
          if path.first != start { path.insert(start, at: 0) }
          return (path + [start]).map { names[$0] }.joined(separator: " → ")
        }
        if previous[w] == nil && w != start {
          previous[w] = v
          queue.append(w)
        }
      }
    }
    return names[start]
  }
}
