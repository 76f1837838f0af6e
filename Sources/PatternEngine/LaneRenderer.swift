import Synchronization

/// Renders one lane of one track: a fixed subset of the track's voices, summed in their sum order into a
/// stereo buffer. Everything it needs is allocated in `init`; `render` allocates nothing.
///
/// Per block it activates the voices that start in the block, asks each active voice for its frames (one
/// call per voice per block, or per tile of up to 16,384 frames for a run of oscillators: dispatch per block, never per
/// sample) and retires voices that have ended.
/// Oscillators and pre-rendered drum hits add straight into the stereo buffer; stateful voices (strings,
/// piano, noise) write a mono scratch block that is then panned in.
final class LaneRenderer: @unchecked Sendable {
  private let voices: [ScheduledVoice]
  private let sampleRate: Double
  private let blockSize: Int
  // `@exclusivity(unchecked)`: one thread renders a lane; the per-block bookkeeping below is written many
  // times a block, and dynamic exclusivity checks on it measured ~10 % of a 256-frame-block render.
  @exclusivity(unchecked) private var next = 0
  /// Active voices as (voice index, slot), in sum order.
  @exclusivity(unchecked) private var active: [(voice: Int, slot: Int)]
  @exclusivity(unchecked) private var freeSlots: [Int]
  @exclusivity(unchecked) private var states: [VoiceState]
  private var strings: [Float]
  private var partials: [PianoVoice.Partials]
  private var grandPartials: [GrandVoice.Partials]
  private var scratch: [Float]
  /// Per voice slot, for oscillator voices: the kernel's constants and the envelope piece the voice is in
  /// (recomputed only when a block passes its end), so a block costs a sustained voice no set-up. Raw
  /// allocations: written in place without array uniqueness or exclusivity checks.
  private let oscillators: UnsafeMutableBufferPointer<OscillatorKernel.Voice>
  private let segments: UnsafeMutableBufferPointer<EnvelopeSegment>
  /// Output ring: `ringSlots` chunks of `maxFrames` per channel, both channels in one raw allocation, the right
  /// line half a page off the left (`StereoLines`). Not arrays: the mixer reads one slot while this lane's worker
  /// writes another, and an array would copy itself (copy-on-write) when both hold it.
  private let lines: StereoLines
  /// Per ring slot, which grains of its chunk hold sound (`LaneOutput`).
  private let grains: UnsafeMutableBufferPointer<Bool>
  private let grainsPerSlot: Int
  private let maxFrames: Int
  /// The chunk being rendered: its slot's first samples and grain flags, and its length.
  private(set) var chunkLeft: UnsafeMutablePointer<Float>
  private(set) var chunkRight: UnsafeMutablePointer<Float>
  private(set) var chunkGrains: UnsafeMutablePointer<Bool>
  private(set) var chunkFrames = 0

  private let drums: DrumTables?
  /// Filtered synth notes rendered side by side (`SynthFilterGroup`): their samples (`width` blocks), the
  /// group's members and its stretch buffer. Empty when the lane has no filtered fixed-pitch synth voice.
  private let groupSamples: UnsafeMutableBufferPointer<Float>
  private let groupMembers: UnsafeMutableBufferPointer<SynthFilterGroup.Member>
  private let groupScratch: UnsafeMutableBufferPointer<Float>
  /// Per position in `active` (this block): the group buffer a voice's samples are in, or −1.
  @exclusivity(unchecked) private var groupedAt: [Int]
  /// Whether filtered synth notes render in groups (tests compare it with one voice at a time; atomic, as
  /// other tests render on other threads meanwhile).
  static let groupsSynthFilters = Atomic<Bool>(true)

  init(
    voices: [ScheduledVoice], sampleRate: Int, blockSize: Int, maxFrames: Int, ringSlots: Int, drums: DrumTables?
  ) {
    self.maxFrames = maxFrames
    self.drums = drums
    self.voices = voices
    self.sampleRate = Double(sampleRate)
    self.blockSize = blockSize
    // A voice holds its slot from the start of the block it starts in to the end of the block it ends in,
    // within [start − block, end + block): the same overlaps as [start, end + 2·block).
    let voiceSlots = max(1, Scheduler.peakConcurrency(voices, endPadding: Int64(2 * blockSize)))
    active = []
    active.reserveCapacity(voiceSlots)
    freeSlots = Array((0..<voiceSlots).reversed())
    states = [VoiceState](repeating: VoiceState(), count: voiceSlots)
    let needsStrings = voices.contains { if case .pluck = $0.kind { return true } else { return false } }
    let needsPartials = voices.contains { if case .piano = $0.kind { return true } else { return false } }
    strings = [Float](repeating: 0, count: needsStrings ? voiceSlots * PluckVoice.maxDelay : 0)
    partials = [PianoVoice.Partials](repeating: .init(), count: needsPartials ? voiceSlots : 0)
    let needsGrand = voices.contains { if case .grand = $0.kind { return true } else { return false } }
    grandPartials = [GrandVoice.Partials](repeating: .init(), count: needsGrand ? voiceSlots : 0)
    scratch = [Float](repeating: 0, count: blockSize)
    let needsGroups = voices.contains { SynthVoice.filtersAtFixedPitch($0) }
    let width = SynthFilterGroup.width
    groupSamples = .allocate(capacity: needsGroups ? width * blockSize : 0)
    groupMembers = .allocate(capacity: needsGroups ? width : 0)
    groupScratch = .allocate(capacity: needsGroups ? width * Int(SynthVoice.controlFrames) : 0)
    groupedAt = [Int](repeating: -1, count: voiceSlots)
    oscillators = .allocate(capacity: voiceSlots)
    segments = .allocate(capacity: voiceSlots)
    segments.initialize(repeating: .unset)
    // Left uninitialised: a grain is cleared when a voice first writes it, and unwritten grains are never read
    // (so a lane's pages are touched by the thread that renders it, and only where it sounds).
    lines = LaneRenderer.allocateLines(maxFrames * ringSlots)
    grainsPerSlot = (maxFrames + LaneOutput.grainFrames - 1) / LaneOutput.grainFrames
    grains = .allocate(capacity: grainsPerSlot * ringSlots)
    grains.initialize(repeating: false)
    chunkLeft = lines.left
    chunkRight = lines.right
    chunkGrains = grains.baseAddress!
  }

  deinit {
    lines.deallocate()
    grains.deallocate()
    oscillators.deallocate()
    segments.deallocate()
    groupSamples.deallocate()
    groupMembers.deallocate()
    groupScratch.deallocate()
  }

  /// `count` floats per channel, each line starting on a 64-byte cache line (so the kernels' 512-bit stores do
  /// not straddle two) and the right one half a page off the left (`StereoLines`).
  private static func allocateLines(_ count: Int) -> StereoLines {
    let lines = StereoLines(count: count)
    #if DEBUG
      // Nothing may read a frame no voice wrote or cleared (`LaneOutput`, fresh writes): in the tests' builds
      // such a frame reads as NaN and shows in the render, where fresh pages of zeros would hide it.
      lines.left.initialize(repeating: .nan, count: count)
      lines.right.initialize(repeating: .nan, count: count)
    #endif
    return lines
  }

  /// Ring slot `slot`: where its samples start in each channel, and its grain flags.
  func output(slot: Int) -> LaneOutput {
    LaneOutput(
      left: UnsafePointer(lines.left + slot * maxFrames),
      right: UnsafePointer(lines.right + slot * maxFrames),
      grains: UnsafePointer(grains.baseAddress! + slot * grainsPerSlot))
  }

  /// Renders frames `[start, start + frames)` into ring slot `slot` of `left`/`right` (overwriting it: grains
  /// no voice writes are marked silent rather than cleared).
  func render(start: Int64, frames: Int, slot: Int) {
    let l = lines.left + slot * maxFrames
    let r = lines.right + slot * maxFrames
    chunkLeft = l
    chunkRight = r
    chunkGrains = grains.baseAddress! + slot * grainsPerSlot
    chunkGrains.update(repeating: false, count: grainsPerSlot)
    chunkFrames = frames
    var blockStart = start
    let end = start + Int64(frames)
    // The voices are read in place (a copy of one per block would retain its three references).
    voices.withUnsafeBufferPointer { all in
      while blockStart < end {
        let blockEnd = min(blockStart + Int64(blockSize), end)
        renderBlock(all, blockStart, blockEnd, l + Int(blockStart - start), r + Int(blockStart - start))
        blockStart = blockEnd
      }
    }
  }

  private func renderBlock(
    _ all: UnsafeBufferPointer<ScheduledVoice>, _ b0: Int64, _ b1: Int64, _ l: UnsafeMutablePointer<Float>,
    _ r: UnsafeMutablePointer<Float>
  ) {
    while next < all.count && all[next].startFrame < b1 {
      let slot = freeSlots.removeLast()
      activate(next, slot: slot)
      active.append((next, slot))
      next += 1
    }
    // In windows that end after the eighth filtered synth note (or at the last voice): the window's notes are
    // rendered as a group first, then every voice of the window is added in sum order.
    var windowStart = 0
    while windowStart < active.count {
      // (A lane without filtered synth notes has one window and no group: `groupedAt` stays −1.)
      let windowEnd = groupMembers.isEmpty ? active.count : renderGroup(all, b0, b1, from: windowStart)
      var position = windowStart
      while position < windowEnd {
        // A run of oscillators goes tile by tile (`renderOscillatorRun`), each frame's sum in the same order.
        var runEnd = position
        while runEnd < windowEnd && isPlainOscillator(all, at: runEnd) { runEnd += 1 }
        if runEnd - position > 1 {
          renderOscillatorRun(all, position..<runEnd, b0, b1, l, r)
          position = runEnd
          continue
        }
        let (index, slot) = active[position]
        let grouped = groupedAt[position]
        position += 1
        let from = max(b0, all[index].startFrame)
        let to = min(b1, all[index].endFrame)
        guard from < to else { continue }
        let offset = Int(from - b0)
        let (ls, rs) = (l + offset, r + offset)
        // Piece by piece: whole grains nothing has written are written fresh, the rest cleared and added to.
        let pieces = { (body: (_ at: Int, _ count: Int, _ fresh: Bool) -> Void) in
          self.forEachPiece(from: ls - self.chunkLeft, count: Int(to - from), body)
        }
        let v = all[index]
        if grouped >= 0 {
          let mono = groupSamples.baseAddress! + grouped * blockSize
          pieces { at, n, fresh in
            Mixer.panAccumulate(
              mono + at, count: n, gainLeft: v.gainLeft, gainRight: v.gainRight, left: ls + at, right: rs + at,
              fresh: fresh)
          }
        } else if case .oscillator(let wave) = v.kind {
          pieces { at, n, fresh in
            let start = from + Int64(at)
            renderOscillator(
              wave, all.baseAddress! + index, slot: slot, from: start, to: start + Int64(n), ls + at, rs + at,
              fresh: fresh)
          }
        } else if case .drum(let sound) = v.kind {
          pieces { at, n, fresh in
            let start = from + Int64(at)
            drums!.play(v, sound, from: start, to: start + Int64(n), left: ls + at, right: rs + at, fresh: fresh)
          }
        } else {
          render(v, slot: slot, from: from, to: to) { mono in
            pieces { at, n, fresh in
              Mixer.panAccumulate(
                mono + at, count: n, gainLeft: v.gainLeft, gainRight: v.gainRight, left: ls + at, right: rs + at,
                fresh: fresh)
            }
          }
        }
      }
      windowStart = windowEnd
    }
    // Retire finished voices, keeping the rest in order (no allocation: in-place compaction).
    var kept = 0
    for i in active.indices {
      if all[active[i].voice].endFrame <= b1 {
        freeSlots.append(active[i].slot)
      } else {
        active[kept] = active[i]
        kept += 1
      }
    }
    active.removeLast(active.count - kept)
  }

  /// Renders the filtered synth notes among `active[start...]` that sound in `[b0, b1)`, up to a group's
  /// width, into `groupSamples`, and marks where each one's samples are (`groupedAt`; −1 for the others).
  /// Returns the end of the window: just after the last note taken, or the end of `active`.
  private func renderGroup(_ all: UnsafeBufferPointer<ScheduledVoice>, _ b0: Int64, _ b1: Int64, from start: Int) -> Int
  {
    var members = 0
    var position = start
    let grouping = LaneRenderer.groupsSynthFilters.load(ordering: .relaxed)
    while position < active.count && (members < SynthFilterGroup.width || groupMembers.isEmpty) {
      let (index, slot) = active[position]
      let from = max(b0, all[index].startFrame)
      let to = min(b1, all[index].endFrame)
      groupedAt[position] = -1
      if grouping, !groupMembers.isEmpty, from < to, SynthVoice.filtersAtFixedPitch(all[index]) {
        groupMembers[members] = .init(
          voice: all.baseAddress! + index, slot: slot, from: from, to: to,
          out: groupSamples.baseAddress! + members * blockSize)
        groupedAt[position] = members
        members += 1
      }
      position += 1
    }
    if members > 0 {
      states.withUnsafeMutableBufferPointer { states in
        SynthFilterGroup.render(
          UnsafeBufferPointer(rebasing: groupMembers[0..<members]), states: states.baseAddress!,
          scratch: groupScratch.baseAddress!)
      }
    }
    return position
  }

  private func activate(_ index: Int, slot: Int) {
    let v = voices[index]
    states[slot] = VoiceState()
    switch v.kind {
    case .oscillator:
      oscillators[slot] = OscillatorKernel.Voice(v)
      segments[slot] = .unset
    case .noise: states[slot].filterA = StateVariableFilter(cutoffHz: v.cutoffHz, q: v.q, sampleRate: sampleRate)
    case .drum: break
    case .pluck:
      strings.withUnsafeMutableBufferPointer { s in
        PluckVoice.prepare(
          voice: v, state: &states[slot], line: s.baseAddress! + slot * PluckVoice.maxDelay, sampleRate: sampleRate)
      }
    case .piano:
      PianoVoice.prepare(voice: v, state: &states[slot], partials: &partials[slot], sampleRate: sampleRate)
    case .grand:
      GrandVoice.prepare(voice: v, state: &states[slot], partials: &grandPartials[slot], sampleRate: sampleRate)
    case .sampler:
      states[slot].samplePosition = v.sample?.start ?? 0
      states[slot].sampleIncrement = v.sample?.increment ?? 0
    case .synth: break
    }
  }

  /// Frames per tile of an oscillator run (every voice of the run adds into the tile, then the next tile): a
  /// whole default block. 4,096-frame tiles, whose two channels (32 KB) stay in L1, were the faster while a
  /// lane's left and right lines shared their address bits below 4 KB (W1 on one thread: 5,300 → 6,100 M
  /// voice-samples/s against whole 8,192-frame blocks); with the lines half a page apart (`StereoLines`), longer
  /// tiles are, with fewer set-ups per voice (W1, medians of 10 alternating runs: 6,989 at 4,096, 7,338 at 8,192;
  /// the kernel alone 8,132, 8,593 and 8,870 at 4,096, 8,192 and 16,384).
  static let oscillatorTileFrames: Int64 = 16384

  /// Whether `active[position]` is an oscillator voice outside the filter group.
  @inline(__always)
  private func isPlainOscillator(_ all: UnsafeBufferPointer<ScheduledVoice>, at position: Int) -> Bool {
    guard groupedAt[position] < 0, case .oscillator = all[active[position].voice].kind else { return false }
    return true
  }

  /// The oscillator voices at `positions` of `active`, over the block `[b0, b1)`, one tile of
  /// `oscillatorTileFrames` at a time (every voice of the run, then the next tile). Each frame's samples are
  /// added in the same order as voice by voice, so the sums have the same bits. A voice that is first over a
  /// whole tile of grains nothing has written writes it fresh (`FreshOutput`) instead of clearing it first.
  private func renderOscillatorRun(
    _ all: UnsafeBufferPointer<ScheduledVoice>, _ positions: Range<Int>, _ b0: Int64, _ b1: Int64,
    _ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>
  ) {
    var tile = b0
    while tile < b1 {
      let tileEnd = min(b1, tile + LaneRenderer.oscillatorTileFrames)
      let first = l + Int(tile - b0) - chunkLeft
      var fresh = unwrittenGrains(from: first, count: Int(tileEnd - tile))
      for position in positions {
        let (index, slot) = active[position]
        guard case .oscillator(let wave) = all[index].kind else { continue }
        let from = max(tile, all[index].startFrame)
        let to = min(tileEnd, all[index].endFrame)
        guard from < to else { continue }
        let offset = Int(from - b0)
        let writesFresh = fresh && from == tile && to == tileEnd
        if writesFresh {
          for grain in LaneRenderer.grains(from: first, count: Int(to - from)) { chunkGrains[grain] = true }
        } else {
          clear(from: l + offset - chunkLeft, count: Int(to - from))
        }
        renderOscillator(
          wave, all.baseAddress! + index, slot: slot, from: from, to: to, l + offset, r + offset, fresh: writesFresh)
        fresh = false
      }
      tile = tileEnd
    }
  }

  /// An oscillator voice: the range split at envelope segment boundaries; each piece is one closed-form ramp.
  /// The slot keeps the segment, which holds for every frame in `[from, to)` (`envelopeSegment` returns the
  /// same piece for each of them).
  private func renderOscillator(
    _ wave: Waveform, _ v: UnsafePointer<ScheduledVoice>, slot: Int, from: Int64, to: Int64,
    _ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>, fresh: Bool = false
  ) {
    var f = from
    while f < to {
      if f < segments[slot].from || f >= segments[slot].to { segments[slot] = v.pointee.envelopeSegment(at: f) }
      let seg = segments[slot]
      let pieceEnd = min(to, seg.to)
      let offset = Int(f - from)
      OscillatorKernel.accumulate(
        wave, voice: oscillators[slot], segment: seg, frame: f, count: Int(pieceEnd - f), left: l + offset,
        right: r + offset, fresh: fresh)
      f = pieceEnd
    }
  }

  /// Renders a voice that synthesises mono (not an oscillator or a drum) over `[from, to)` into the scratch
  /// block and passes it to `body` to be panned in.
  private func render(
    _ v: ScheduledVoice, slot: Int, from: Int64, to: Int64, _ body: (UnsafePointer<Float>) -> Void
  ) {
    let count = Int(to - from)
    scratch.withUnsafeMutableBufferPointer { s in
      let out = s.baseAddress!
      switch v.kind {
      case .oscillator, .drum: preconditionFailure("oscillators and drums write their lanes in renderBlock")
      case .noise: NoiseVoice.render(voice: v, state: &states[slot], frame: from, count: count, out: out)
      case .pluck:
        strings.withUnsafeMutableBufferPointer { line in
          PluckVoice.render(
            voice: v, state: &states[slot], line: line.baseAddress! + slot * PluckVoice.maxDelay, frame: from,
            count: count, out: out)
        }
      case .piano:
        PianoVoice.render(
          voice: v, state: &states[slot], partials: &partials[slot], frame: from, count: count,
          sampleRate: sampleRate, out: out)
      case .grand:
        GrandVoice.render(
          voice: v, state: &states[slot], partials: &grandPartials[slot], frame: from, count: count,
          sampleRate: sampleRate, out: out)
      case .sampler: SamplerVoice.render(voice: v, state: &states[slot], frame: from, count: count, out: out)
      case .synth: SynthVoice.render(voice: v, state: &states[slot], frame: from, count: count, out: out)
      }
      body(out)
    }
  }
}
