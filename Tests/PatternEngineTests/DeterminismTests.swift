import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Determinism by construction")
struct DeterminismTests {
  @Test("block sizes 1, 37, 64, 512, 4096, 8192, 16384, 65536 and 1 or 2 threads give identical samples")
  func blockAndThreadInvariance() {
    let s = score(everyVoiceSong)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 1))
    #expect(reference.count > 100_000)
    #expect(reference.contains { $0 != 0 })
    // Lanes start as NaN in test builds: a frame read that no voice wrote or cleared would show.
    #expect(!reference.contains { $0.isNaN })
    for (block, threads) in [
      (1, 1), (64, 2), (512, 2), (4096, 1), (4096, 2), (8192, 2), (37, 2), (16384, 1), (65536, 2),
    ] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      #expect(firstDifference(out, reference) == nil, "block \(block), threads \(threads)")
    }
  }

  /// Songs for `oscillatorRunTiles`.
  static let oscillatorRunSongs: [String] = {
    // Twelve overlapping oscillators of every wave (runs of them in each lane), starting and ending inside
    // tiles, with attacks and releases across tile edges, a piano between them in the sum order and one
    // before them (so a run's first voice finds tiles already written, and must add to them).
    var notes = "piano C3 0 dur=6; "
    for k in 0..<12 {
      let wave = ["saw", "square", "triangle", "sine"][k % 4]
      notes += "\(wave) \(40 + 3 * k) \(k * 113)/1000 dur=\(170 + k % 5 * 31)/100 attack=0.07 release=0.2; "
      if k == 5 { notes += "piano C4 0.3 dur=1; " }
    }
    // Oscillators from the first frame to the last, which is not on a grain (72,000 frames): runs that write
    // their tiles fresh, up to the chunk's cut last grain; a filtered synth note among them (its own group)
    // and a piano after them in the sum order.
    var flat = ""
    for k in 0..<6 {
      flat += "\(["saw", "square", "triangle"][k % 3]) \(45 + 4 * k) 0 dur=3 attack=0 release=0; "
      if k == 2 { flat += "saw 52 0 dur=3 attack=0 release=0 cutoff=900; " }
    }
    flat += "piano E4 1 dur=1; "
    return ["tempo 100; melody { \(notes) }", "tempo 120; melody { \(flat) }"]
  }()

  @Test(
    "oscillator runs rendered tile by tile give the same samples at every block size and thread count",
    arguments: oscillatorRunSongs)
  func oscillatorRunTiles(song: String) {
    let s = score(song)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 1, threads: 1))
    #expect(reference.contains { $0 != 0 })
    #expect(!reference.contains { $0.isNaN })
    for (block, threads) in [(300, 2), (4096, 1), (8192, 2), (12_000, 1), (65536, 2)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      #expect(firstDifference(out, reference) == nil, "block \(block), threads \(threads)")
    }
  }

  @Test("two renders in one process are identical")
  func repeatable() {
    let s = score(everyVoiceSong)
    #expect(renderFloat(s).map(\.bitPattern) == renderFloat(s).map(\.bitPattern))
  }

  /// Whether `sample8` equals the scalar reference at every frame from `first` (a multiple of eight apart) below
  /// `end` for increment `inc`; records the first difference.
  private func simdMatchesScalar(_ wave: Waveform, inc: UInt32, first: UInt32, end: UInt32) -> Bool {
    let bl = OscillatorKernel.BandLimit(increment: inc)
    for start in stride(from: first, to: end, by: 8) {
      let phases = SIMD8<UInt32>(repeating: start &* inc) &+ OscillatorKernel.laneIndex &* inc
      let v = OscillatorKernel.sample8(wave, phase: phases, bl)
      for lane in 0..<8 {
        let scalar = OscillatorKernel.sample(wave, phase: (start &+ UInt32(lane)) &* inc, bl)
        if v[lane].bitPattern != scalar.bitPattern {
          Issue.record("\(wave) inc \(inc) frame \(start + UInt32(lane)): \(v[lane]) vs \(scalar)")
          return false
        }
      }
    }
    return true
  }

  @Test("the SIMD oscillator path equals the scalar reference for every waveform")
  func simdMatchesScalar() {
    for wave in Waveform.allCases {
      for inc in [UInt32(39_370_534), 3_000_000, 400_000_000, 1_234_567_891] {
        guard simdMatchesScalar(wave, inc: inc, first: 0, end: 4000) else { return }
      }
    }
  }

  @Test("the SIMD path equals the scalar reference at every frame for 300 seeded increments (the edge guard)")
  func simdMatchesScalarDense() {
    var state: UInt64 = 0x5EED
    for _ in 0..<300 {
      state = NoiseHash.mix(state)
      // Roughly log-uniform from 2^12 (0.05 Hz) to 2^32 (the sample rate).
      let inc = max(UInt32(truncatingIfNeeded: state >> 32) >> (state % 20), 4096)
      for wave in Waveform.allCases {
        guard simdMatchesScalar(wave, inc: inc, first: UInt32(state % 7), end: 3000) else { return }
      }
    }
  }

  @Test("a pass whose guard room is 2^32 − 1 is corrected (notes where no sixteen frames are far from an edge)")
  func highNoteGuardRoom() {
    // 17·inc + 8192 ≥ 2^32, so no phase has sixteen smooth frames (`smoothRoom16` is .max); 9·inc + 8192 < 2^32.
    let inc: UInt32 = 300_000_001
    let bl = OscillatorKernel.BandLimit(increment: inc)
    #expect(bl.smoothRoom16 == .max && !bl.alwaysNear)
    // The frame whose phase puts the saw's edge one unit before the guard window: room 2^32 − 1.
    let target = 0x8000_0000 &+ 1 &+ bl.guardLow
    var inverse = inc
    for _ in 0..<5 { inverse = inverse &* (2 &- inc &* inverse) }
    let frame = Int64(target &* inverse)
    #expect(UInt32(truncatingIfNeeded: frame) &* inc == target)
    // Lines of 64 bytes, so the first pass starts at `frame`.
    let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * 64 * 4, alignment: 64)
    defer { raw.deallocate() }
    let left = raw.bindMemory(to: Float.self, capacity: 128)
    let right = left + 64
    left.update(repeating: 0, count: 128)
    let seg = EnvelopeSegment(from: 0, to: 1 << 40, origin: 0, c0: 0.5, c1: 0, inverseLength: 0)
    let voice = OscillatorKernel.Voice(increment: inc, gainLeft: 0.75, gainRight: 0.25, startFrame: 0)
    OscillatorKernel.accumulate(.saw, voice: voice, segment: seg, frame: frame, count: 32, left: left, right: right)
    for i in 0..<32 {
      let v = OscillatorKernel.sample(.saw, phase: UInt32(truncatingIfNeeded: frame + Int64(i)) &* inc, bl) * 0.5
      #expect(left[i].bitPattern == (0 + v * 0.75).bitPattern, "frame \(i): \(left[i]) vs \(v * 0.75)")
      #expect(right[i].bitPattern == (0 + v * 0.25).bitPattern)
    }
  }

  @Test("sixteen-frame samples equal the eight-frame path's two halves for every waveform, near edges too")
  func sixteenMatchesEight() {
    for wave in Waveform.allCases {
      // From low notes to ones whose guard window spans the cycle (`alwaysNear`).
      for inc in [UInt32(39_370_534), 3_000_000, 400_000_000, 1_234_567_891, 4_100_000, 97_000_001] {
        let bl = OscillatorKernel.BandLimit(increment: inc)
        for start in stride(from: UInt32(0), to: 6000, by: 16) {
          let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
          let phases = SIMD16<UInt32>(repeating: start &* inc) &+ lanes &* inc
          let v = OscillatorKernel.sample16(wave, phase: phases, bl)
          let low = OscillatorKernel.sample8(wave, phase: phases.lowHalf, bl)
          let high = OscillatorKernel.sample8(wave, phase: phases.highHalf, bl)
          for lane in 0..<16 where v[lane].bitPattern != (lane < 8 ? low[lane] : high[lane - 8]).bitPattern {
            Issue.record("\(wave) inc \(inc) frame \(start + UInt32(lane)): \(v[lane])")
            return
          }
        }
      }
    }
  }

  @Test(
    "each wave's sixteen-frame pass (the saw's t in phase units, every lane corrected) equals its halves where an edge falls, for tiny and huge steps",
    arguments: Waveform.allCases)
  func sixteenAtTheEdge(wave: Waveform) {
    // Steps near the rounding of t (2^-25 of a cycle, 128 phase units), through the audible range, to ones
    // whose guard spans the cycle; first phases from a few steps before each edge to a few after, and a lane
    // landing on each side of it to the unit.
    let lanes = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    for inc in [
      UInt32(1), 127, 128, 129, 4095, 4096, 8191, 100_000, 4_921_797, 93_637_379, 1 << 30, 0x7FFF_FFFF,
      0x8000_0000, 0x8000_0001, 3 << 30, .max,
    ] {
      let bl = OscillatorKernel.BandLimit(increment: inc)
      for edge in [UInt32(0), 0x8000_0000] {
        for lane in UInt32(0)..<16 {
          for unit in UInt32(0)..<300 {
            for side in [edge &+ unit, edge &- 1 &- unit] {
              let phases = SIMD16<UInt32>(repeating: side &- lane &* inc) &+ lanes &* inc
              let v = OscillatorKernel.sample16(wave, phase: phases, bl)
              let low = OscillatorKernel.sample8(wave, phase: phases.lowHalf, bl)
              let high = OscillatorKernel.sample8(wave, phase: phases.highHalf, bl)
              for k in 0..<16 where v[k].bitPattern != (k < 8 ? low[k] : high[k - 8]).bitPattern {
                Issue.record("\(wave) inc \(inc) phase \(phases[k]): \(v[k]) vs \(k < 8 ? low[k] : high[k - 8])")
                return
              }
            }
          }
        }
      }
    }
  }

  @Test(
    "the oscillator kernel equals the scalar chain (sample × level × gain, added or written fresh) for every wave, level, pan",
    arguments: Waveform.allCases, [false, true])
  func kernelMatchesScalarChain(wave: Waveform, fresh: Bool) {
    let count = 4_093  // pairs of groups, one group of eight and a scalar tail
    // Writing fresh, the output holds NaN beforehand: any frame the kernel read instead of writing shows.
    let base = (0..<count).map { fresh ? Float.nan : Float($0 % 89) * 0.011 - 0.4 }
    // Levels that fold exactly (powers of two, any normal level) and ones that must not (0, subnormal scale).
    let levels: [(Float, Float)] = [
      (1, 0), (0.5, 0), (0.7, 0), (0x1p-100, 0), (1e-30, 0), (0, 0), (0.75, 0), (0.25, 0.3), (1, -1), (0x1p64, 0),
      (0x1p65, 0), (0x1p100, 0),
    ]
    let gains: [(Float, Float)] = [(0.7, 0.3), (0, 1), (1, 0), (1e-38, 0.5), (0.5, 0.5), (0.75, 0.375)]
    for inc in [UInt32(39_370_534), 3_000_000, 400_000_000, 1_234_567_891] {
      let bl = OscillatorKernel.BandLimit(increment: inc)
      for (c0, c1) in levels {
        for (gl, gr) in gains {
          let seg = EnvelopeSegment(from: 0, to: 1 << 40, origin: 3, c0: c0, c1: c1, inverseLength: 1 / 5000)
          let voice = OscillatorKernel.Voice(increment: inc, gainLeft: gl, gainRight: gr, startFrame: 0)
          // Output on 64-byte lines, starting at several offsets from one (the kernel runs scalar up to a line)
          // and ending at several counts (a pair, a group of eight and a scalar tail, or less).
          for (skew, trim) in [(0, 0), (3, 5), (8, 1), (13, 9), (5, 12)] {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * count * 4 + 64, alignment: 64)
            defer { raw.deallocate() }
            let left = raw.bindMemory(to: Float.self, capacity: 2 * count + 16)
            let right = left + (count + 15) / 16 * 16  // on a line too, as the lanes' buffers are
            base.withUnsafeBufferPointer {
              left.initialize(from: $0.baseAddress!, count: count)
              right.initialize(from: $0.baseAddress!, count: count)
            }
            OscillatorKernel.accumulate(
              wave, voice: voice, segment: seg, frame: Int64(5 + skew), count: count - skew - trim,
              left: left + skew, right: right + skew, fresh: fresh)
            for i in skew..<(count - trim) {
              let phase = UInt32(5 + i) &* inc
              let v = OscillatorKernel.sample(wave, phase: phase, bl) * seg.level(at: Int64(5 + i))
              // Fresh: what adding into a cleared (+0) output gives, −0 products becoming +0.
              let before: Float = fresh ? 0 : base[i]
              let (l, r) = (before + v * gl, before + v * gr)
              if left[i].bitPattern != l.bitPattern || right[i].bitPattern != r.bitPattern {
                Issue.record(
                  "\(wave) inc \(inc) c0 \(c0) c1 \(c1) gains \(gl) \(gr) frame \(i): \(left[i]) \(right[i]) vs \(l) \(r)"
                )
                return
              }
            }
          }
        }
      }
    }
  }

  @Test("the SIMD mixer equals the scalar reference")
  func mixerMatchesScalar() {
    var a = (0..<1003).map { Float($0 % 97) * 0.013 - 0.6 }
    var b = a
    let input = (0..<1003).map { Float(($0 * 37) % 101) * 0.007 - 0.35 }
    input.withUnsafeBufferPointer { inp in
      a.withUnsafeMutableBufferPointer {
        Mixer.accumulate(inp.baseAddress!, gain: 0.7071, into: $0.baseAddress!, count: 1003)
      }
      b.withUnsafeMutableBufferPointer {
        Mixer.accumulateScalar(inp.baseAddress!, gain: 0.7071, into: $0.baseAddress!, count: 1003)
      }
    }
    #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
  }

  @Test("panning in fresh writes the bits of adding into cleared memory, and reads nothing", arguments: [1003, 8, 5])
  func freshPanAccumulate(count: Int) {
    // −0 and 0 among the samples and the gains: +0 + (−0) is +0, which a plain store of the product would not be.
    let mono: [Float] = (0..<count).map { i in
      let x = Float((i * 37) % 101) * 0.007
      return i % 11 == 0 ? -0.0 : x - 0.35
    }
    let gains: [(Float, Float)] = [(0.7071, 0.5), (0, 1), (-0.0, 0.25)]
    for (gl, gr) in gains {
      var cleared = [Float](repeating: 0, count: count * 2)
      var fresh = [Float](repeating: .nan, count: count * 2)
      mono.withUnsafeBufferPointer { m in
        cleared.withUnsafeMutableBufferPointer {
          Mixer.panAccumulate(
            m.baseAddress!, count: count, gainLeft: gl, gainRight: gr, left: $0.baseAddress!,
            right: $0.baseAddress! + count)
        }
        fresh.withUnsafeMutableBufferPointer {
          Mixer.panAccumulate(
            m.baseAddress!, count: count, gainLeft: gl, gainRight: gr, left: $0.baseAddress!,
            right: $0.baseAddress! + count, fresh: true)
        }
      }
      #expect(fresh.map(\.bitPattern) == cleared.map(\.bitPattern), "gains \(gl), \(gr)")
    }
  }

  @Test("a fresh accumulate writes the bits of adding into cleared memory, and reads nothing", arguments: [1003, 8, 5])
  func freshAccumulate(count: Int) {
    let input: [Float] = (0..<count).map { i in i % 7 == 0 ? -0.0 : Float((i * 53) % 97) * 0.011 - 0.5 }
    for gain: Float in [1, 0.7071, 0, -0.0] {
      var cleared = [Float](repeating: 0, count: count)
      var fresh = [Float](repeating: .nan, count: count)
      input.withUnsafeBufferPointer { x in
        cleared.withUnsafeMutableBufferPointer {
          Mixer.accumulate(x.baseAddress!, gain: gain, into: $0.baseAddress!, count: count)
        }
        fresh.withUnsafeMutableBufferPointer {
          Mixer.accumulate(x.baseAddress!, gain: gain, into: $0.baseAddress!, count: count, fresh: true)
        }
      }
      #expect(fresh.map(\.bitPattern) == cleared.map(\.bitPattern), "gain \(gain)")
    }
  }

  @Test("a lane summed fresh, silent grains included, then another added: the bits of clearing, then adding both")
  func freshLaneOutput() {
    let grain = LaneOutput.grainFrames
    let frames = 3 * grain
    // Two lanes of three grains each: the first silent in its middle grain (holding stale samples, never read).
    func samples(_ seed: Int) -> [Float] {
      (0..<frames).map { i in i % 13 == 0 ? -0.0 : Float((i * seed) % 89) * 0.013 - 0.6 }
    }
    let (aLeft, aRight, bLeft, bRight) = (samples(31), samples(37), samples(41), samples(43))
    let aGrains = [true, false, true]
    let bGrains = [false, true, true]
    for (start, count) in [(0, frames), (500, 2_000), (grain + 3, 7), (2 * grain - 5, 10)] {
      var cleared = [Float](repeating: 0, count: 2 * count)
      var fresh = [Float](repeating: .nan, count: 2 * count)
      aLeft.withUnsafeBufferPointer { al in
        aRight.withUnsafeBufferPointer { ar in
          bLeft.withUnsafeBufferPointer { bl in
            bRight.withUnsafeBufferPointer { br in
              aGrains.withUnsafeBufferPointer { ag in
                bGrains.withUnsafeBufferPointer { bg in
                  let a = LaneOutput(left: al.baseAddress!, right: ar.baseAddress!, grains: ag.baseAddress!)
                  let b = LaneOutput(left: bl.baseAddress!, right: br.baseAddress!, grains: bg.baseAddress!)
                  for (out, first) in [(0, false), (1, true)] {
                    let buffer = out == 0 ? cleared : fresh
                    var result = buffer
                    result.withUnsafeMutableBufferPointer {
                      let (l, r) = ($0.baseAddress!, $0.baseAddress! + count)
                      a.accumulate(from: start, count: count, gain: 0.8, left: l, right: r, fresh: first)
                      b.accumulate(from: start, count: count, gain: 0.6, left: l, right: r)
                    }
                    if out == 0 { cleared = result } else { fresh = result }
                  }
                }
              }
            }
          }
        }
      }
      #expect(fresh.map(\.bitPattern) == cleared.map(\.bitPattern), "from \(start), \(count) frames")
    }
  }

  @Test("a filter retuned to a cutoff it had, or kept at one, has a fresh filter's coefficients, its state carried")
  func filterRetuneKeepsCoefficients() {
    func coefficients(_ f: StateVariableFilter) -> [Float] { [f.a1, f.a2, f.a3, f.k] }
    var f = StateVariableFilter(cutoffHz: 500, q: 0.7, sampleRate: 48_000)
    _ = f.process(0.5)
    let state = (f.ic1, f.ic2)
    for (hz, q) in [(900.0, 0.7), (900, 0.7), (500, 0.7), (500, 2), (500, 2), (900, 0.7)] {
      f.retune(cutoffHz: hz, q: q, sampleRate: 48_000)
      #expect(coefficients(f) == coefficients(StateVariableFilter(cutoffHz: hz, q: q, sampleRate: 48_000)))
      #expect((f.ic1, f.ic2) == state)
    }
    f.retune(cutoffHz: 900, q: 0.7, sampleRate: 44_100)
    #expect(coefficients(f) == coefficients(StateVariableFilter(cutoffHz: 900, q: 0.7, sampleRate: 44_100)))
  }

  @Test("noise streams depend on the song's seed and nothing else")
  func seededNoise() {
    let a = renderFloat(score("seed 1; melody { noise C6 0 dur=0.25; }"))
    let b = renderFloat(score("seed 1; melody { noise C6 0 dur=0.25; }"))
    let c = renderFloat(score("seed 2; melody { noise C6 0 dur=0.25; }"))
    #expect(a == b)
    #expect(a != c)
  }
}
