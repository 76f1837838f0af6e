/// Band-limited oscillator kernels: a scalar reference path (`sample`) and `SIMD8<Float>`/`SIMD16<Float>` block
/// paths that compute exactly the same IEEE operations per frame. Written on concrete SIMD types: generic SIMD
/// kernels compile mask operations to per-lane loops (measured 2.4× slower than scalar, SWIFT-NOTES.md). The
/// sixteen-frame passes are `SIMD16`, one 512-bit register on an AVX-512 build (two or four elsewhere).
///
/// Phase is a `UInt32` fixed-point fraction of a cycle, a pure function of the frame offset:
/// `phase(k) = k &* increment`, so any grouping of frames (blocks, SIMD lanes, threads) gives the same bits.
/// Reinterpreted as `Int32` and scaled by 2^-31 it is a naive sawtooth in [-1, 1) that starts at 0.
enum OscillatorKernel {
  /// Per-voice constants of the band-limiting corrections.
  struct BandLimit {
    /// Phase increment as a fraction of a cycle (f / sampleRate).
    var dt: Float
    var inverseDt: Float
    var oneMinusDt: Float
    /// `dt`, `oneMinusDt` and `inverseDt` for `t` counted in phase units (`SawShape.sample16`): × 2^32,
    /// × 2^32 and × 2^-32, each exact (a power-of-two scaling of a normal float or of 0, which `oneMinusDt` is
    /// for increments within 2^7 of 2^32).
    var dtInPhase: Float
    var oneMinusDtInPhase: Float
    var inverseDtInPhase: Float
    /// For `isNear`: eight frames span `[p0, p0 + 7·inc]`; a correction can touch a lane whose phase is within
    /// one increment of an edge (plus float rounding of t and dt, far below 4096 phase units), so edges in
    /// `[p0 − inc − 4096, p0 + 8·inc + 4096)` need the corrected pass (`DeterminismTests` fails when the guard is
    /// tighter: checked with 4096 alone). The guard covers
    /// `[p0 − guardLow, p0 − guardLow + guardSpan)`, a superset of every lane a float mask can select.
    var guardLow: UInt32
    var guardSpan: UInt32
    /// The guard window covers the whole cycle (very high notes): always correct.
    var alwaysNear: Bool
    /// The same guard for sixteen frames (`[p0, p0 + 15·inc]`), for the two-group loop: sixteen frames from
    /// `p0` are far from `edge` when `room16(p0, edge) >= smoothRoom16` (`.max` when no phase is).
    var smoothRoom16: UInt32
    /// The phase advance of sixteen frames (smaller than `smoothRoom16` unless that is `.max`).
    var step16: UInt32

    init(increment: UInt32) {
      let d = Double(max(increment, 1)) / 4_294_967_296.0
      dt = Float(d)
      inverseDt = Float(1 / d)
      oneMinusDt = 1 - Float(d)
      dtInPhase = dt * 0x1p32
      oneMinusDtInPhase = oneMinusDt * 0x1p32
      inverseDtInPhase = inverseDt * 0x1p-32
      // A lane needs a correction only within one increment of an edge, plus the rounding of t and of dt (a few
      // hundred phase units; 4096 is ample): one increment below `p0` … one above the eighth lane.
      let low = UInt64(increment) + 4096
      let span = 7 * UInt64(increment) + 2 * low
      alwaysNear = span >= 1 << 32
      guardLow = alwaysNear ? 0 : UInt32(low)
      guardSpan = alwaysNear ? 0 : UInt32(span)
      let span16 = 15 * UInt64(increment) + 2 * low
      smoothRoom16 = span16 >= 1 << 32 ? .max : UInt32(span16)
      step16 = increment &* 16
    }

    /// Whether eight frames starting at phase `p0` may need a correction for a discontinuity at `edge`.
    /// (An integer test on one phase: `any(mask)` calls an out-of-line `SIMD.min()` in some builds —
    /// measured 18 % of a saw render.)
    @inline(__always)
    func isNear(_ p0: UInt32, edge: UInt32) -> Bool {
      alwaysNear || (edge &- (p0 &- guardLow)) < guardSpan
    }

    /// The distance from phase `p0` to `edge`'s sixteen-frame guard window, in phase units. It shrinks by
    /// `step16` per sixteen frames without wrapping while it is at least `smoothRoom16` (the window is wider
    /// than a step), so a loop can count it down instead of testing the phase again. At most 2^32 − 2: where
    /// `smoothRoom16` is `.max` (no sixteen frames are far from an edge) an edge must never pass for smooth, and
    /// 2^32 − 1 did, one phase in 2^32 (a missing correction on notes above ~2.8 kHz;
    /// `DeterminismTests.highNoteGuardRoom`).
    @inline(__always)
    func room16(_ p0: UInt32, edge: UInt32) -> UInt32 { min(edge &- (p0 &- guardLow), .max - 1) }
  }

  // MARK: - Scalar reference and SIMD8, by waveform

  /// One sample of `wave` at fixed-point `phase` (the scalar reference path).
  static func sample(_ wave: Waveform, phase: UInt32, _ bl: BandLimit) -> Float {
    switch wave {
    case .sine: return SineShape.sample(phase, bl)
    case .saw: return SawShape.sample(phase, bl)
    case .square: return SquareShape.sample(phase, bl)
    case .triangle: return TriangleShape.sample(phase, bl)
    }
  }

  /// Eight samples of `wave` (the SIMD path).
  static func sample8(_ wave: Waveform, phase: SIMD8<UInt32>, _ bl: BandLimit) -> SIMD8<Float> {
    switch wave {
    case .sine: return SineShape.sample8(phase, bl)
    case .saw: return SawShape.sample8(phase, bl)
    case .square: return SquareShape.sample8(phase, bl)
    case .triangle: return TriangleShape.sample8(phase, bl)
    }
  }

  /// Two-sample polynomial residual of a step of height 2 at t = 0 (t in cycles since the step).
  @inline(__always)
  static func blep(_ t: Float, _ bl: BandLimit) -> Float {
    if t < bl.dt {
      let y = t * bl.inverseDt
      return y + y - y * y - 1
    }
    if t > bl.oneMinusDt {
      let y = (t - 1) * bl.inverseDt
      return y * y + y + y + 1
    }
    return 0
  }

  /// The integrated residual, for a change of slope at t = 0.
  @inline(__always)
  static func blamp(_ t: Float, _ bl: BandLimit) -> Float {
    if t < bl.dt {
      let y = t * bl.inverseDt - 1
      return y * y * y * (-1 / 3)
    }
    if t > bl.oneMinusDt {
      let y = (t - 1) * bl.inverseDt + 1
      return y * y * y * (1 / 3)
    }
    return 0
  }

  // MARK: - SIMD8

  /// 0 … 7 per lane. Literals, not stored globals: a global is initialised lazily, and a loop that read one
  /// called `swift_once` (and `vzeroupper`) every eight samples (measured in `Master.quantize16`).
  static var laneIndex: SIMD8<UInt32> { SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7) }
  static var laneIndexInt: SIMD8<Int32> { SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) }

  /// `blep` on eight lanes. Call only when `BandLimit.isNear` says a lane may need it (elsewhere it is 0).
  @inline(__always)
  static func blep8(_ t: SIMD8<Float>, _ bl: BandLimit) -> SIMD8<Float> {
    var r = SIMD8<Float>(repeating: 0)
    let low = t .< bl.dt
    let high = (t .> bl.oneMinusDt) .& .!low
    let y0 = t * bl.inverseDt
    r.replace(with: y0 + y0 - y0 * y0 - 1, where: low)
    let y1 = (t - 1) * bl.inverseDt
    r.replace(with: y1 * y1 + y1 + y1 + 1, where: high)
    return r
  }

  /// Sixteen integers as floats, converted as two halves: the `SIMD16` conversion calls an unspecialised
  /// generic initialiser (measured), the halves join into one `vcvtdq2ps` on a 512-bit register.
  @inline(__always)
  static func float16(_ v: SIMD16<Int32>) -> SIMD16<Float> {
    SIMD16<Float>(lowHalf: SIMD8<Float>(v.lowHalf), highHalf: SIMD8<Float>(v.highHalf))
  }

  /// `blamp` on eight lanes, under the same condition as `blep8`.
  @inline(__always)
  static func blamp8(_ t: SIMD8<Float>, _ bl: BandLimit) -> SIMD8<Float> {
    var r = SIMD8<Float>(repeating: 0)
    let low = t .< bl.dt
    let high = (t .> bl.oneMinusDt) .& .!low
    let y0 = t * bl.inverseDt - 1
    r.replace(with: y0 * y0 * y0 * (-1 / 3), where: low)
    let y1 = (t - 1) * bl.inverseDt + 1
    r.replace(with: y1 * y1 * y1 * (1 / 3), where: high)
    return r
  }

  /// Sixteen samples of `wave`: `sample8` of each half, bit for bit.
  static func sample16(_ wave: Waveform, phase: SIMD16<UInt32>, _ bl: BandLimit) -> SIMD16<Float> {
    switch wave {
    case .sine: return SineShape.sample16(phase, bl)
    case .saw: return SawShape.sample16(phase, bl)
    case .square: return SquareShape.sample16(phase, bl)
    case .triangle: return TriangleShape.sample16(phase, bl)
    }
  }

  // MARK: - Accumulate one envelope segment

  /// What the kernel needs of an oscillator voice, computed once when the voice starts (not per block).
  struct Voice {
    var increment: UInt32
    var limits: BandLimit
    var gainLeft: Float
    var gainRight: Float
    var startFrame: Int64

    init(increment: UInt32, gainLeft: Float, gainRight: Float, startFrame: Int64) {
      self.increment = increment
      limits = BandLimit(increment: increment)
      self.gainLeft = gainLeft
      self.gainRight = gainRight
      self.startFrame = startFrame
    }

    init(_ v: ScheduledVoice) {
      self.init(increment: v.phaseIncrement, gainLeft: v.gainLeft, gainRight: v.gainRight, startFrame: v.startFrame)
    }
  }

  /// Adds `wave × envelope` of one voice into `left`/`right` for `count` frames starting at absolute frame
  /// `frame` (all inside one envelope segment). `left`/`right` point at that first frame.
  /// - Parameter fresh: Nothing has written these frames yet: write `+0 + sample` (the same bits as adding into
  ///   cleared memory) without reading them, so they need not be cleared (`FreshOutput`).
  @inline(__always)
  static func accumulate(
    _ wave: Waveform, voice: Voice, segment seg: EnvelopeSegment, frame: Int64, count: Int,
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, fresh: Bool = false
  ) {
    if fresh {
      accumulate(wave, FreshOutput.self, voice, seg, frame, count, left, right)
    } else {
      accumulate(wave, AddingOutput.self, voice, seg, frame, count, left, right)
    }
  }

  /// `accumulate` with the output mode fixed, so each waveform's loop is specialised for it.
  @inline(__always)
  private static func accumulate<Output: KernelOutput>(
    _ wave: Waveform, _ output: Output.Type, _ voice: Voice, _ seg: EnvelopeSegment, _ frame: Int64, _ count: Int,
    _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>
  ) {
    switch wave {
    case .sine: accumulateWave(SineShape.self, Output.self, voice, seg, frame, count, left, right)
    case .saw: accumulateWave(SawShape.self, Output.self, voice, seg, frame, count, left, right)
    case .square: accumulateWave(SquareShape.self, Output.self, voice, seg, frame, count, left, right)
    case .triangle: accumulateWave(TriangleShape.self, Output.self, voice, seg, frame, count, left, right)
    }
  }

  /// The loop, specialised per waveform and output (generic over those, never over the SIMD type).
  @inline(__always)
  private static func accumulateWave<Shape: WaveShape, Output: KernelOutput>(
    _ shape: Shape.Type, _ output: Output.Type, _ voice: Voice, _ seg: EnvelopeSegment, _ frame: Int64,
    _ count: Int, _ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>
  ) {
    let inc = voice.increment
    let bl = voice.limits
    let gl = voice.gainLeft
    let gr = voice.gainRight
    let k0 = UInt32(truncatingIfNeeded: frame - voice.startFrame)
    let e0 = Int32(truncatingIfNeeded: frame - seg.origin)
    var i = 0
    /// The scalar reference path for frames `[i, end)`: the same operations per frame as the vector paths, so
    /// which frames take it changes no bit.
    @inline(__always) func scalar(until end: Int) {
      while i < end {
        let phase = (k0 &+ UInt32(truncatingIfNeeded: i)) &* inc
        let env = seg.c0 + seg.c1 * (Float(e0 &+ Int32(truncatingIfNeeded: i)) * seg.inverseLength)
        let v = Shape.sample(phase, bl) * env
        left[i] = Output.base(left + i) + v * gl
        right[i] = Output.base(right + i) + v * gr
        i += 1
      }
    }
    // Vectors start where `left + i` is on a 64-byte line (the lanes' buffers are, so `right + i` is too): a
    // 512-bit store that straddles two lines costs twice, and every one would.
    let head = min(count, ((64 &- Int(bitPattern: left) & 63) & 63) >> 2)
    scalar(until: head)
    let simdEnd = head + ((count - head) & ~7)
    if simdEnd > head {
      var phase = SIMD8<UInt32>(repeating: (k0 &+ UInt32(truncatingIfNeeded: head)) &* inc) &+ laneIndex &* inc
      let phaseStep = SIMD8<UInt32>(repeating: inc &* 8)
      var envOffset = SIMD8<Int32>(repeating: e0 &+ Int32(truncatingIfNeeded: head)) &+ laneIndexInt
      let c0 = SIMD8<Float>(repeating: seg.c0)
      let c1 = SIMD8<Float>(repeating: seg.c1)
      let c016 = SIMD16<Float>(repeating: seg.c0)
      // c0 + 0·x is exactly c0 for finite x, so a sustain segment skips the ramp arithmetic: two loops, so the
      // test is not repeated for every eight frames (the compiler kept it inside a single loop).
      /// Adds eight frames `v` at frame `i` with the gains `g` (left, right).
      @inline(__always) func addScaled(_ v: SIMD8<Float>, _ g: (Float, Float), at i: Int) {
        let l = UnsafeMutableRawPointer(left + i)
        let r = UnsafeMutableRawPointer(right + i)
        l.storeBytes(of: Output.base8(l) + v * g.0, as: SIMD8<Float>.self)
        r.storeBytes(of: Output.base8(r) + v * g.1, as: SIMD8<Float>.self)
      }
      /// Adds eight frames `v` at frame `i`, panned.
      @inline(__always) func add(_ v: SIMD8<Float>, at i: Int) { addScaled(v, (gl, gr), at: i) }
      /// `addScaled` for sixteen frames: each lane's operations as in two calls of eight, in one 512-bit vector
      /// where the CPU has them (half the instructions of the pass).
      @inline(__always) func addScaled16(_ v: SIMD16<Float>, _ g: (Float, Float), at i: Int) {
        let l = UnsafeMutableRawPointer(left + i)
        let r = UnsafeMutableRawPointer(right + i)
        l.storeBytes(of: Output.base16(l) + v * g.0, as: SIMD16<Float>.self)
        r.storeBytes(of: Output.base16(r) + v * g.1, as: SIMD16<Float>.self)
      }
      @inline(__always) func add16(_ v: SIMD16<Float>, at i: Int) { addScaled16(v, (gl, gr), at: i) }
      // Sixteen frames per pass, one 512-bit vector where the CPU has them. The loop is bound by the vector
      // operations it issues (two ports for 512-bit ones on this CPU), so the phase is not tested every pass:
      // `pairs` counts down the distance to the next edge's guard window (one subtraction per pass) and runs the
      // corrected pass only inside it. Far from every edge `smooth16` is what `sample8` returns for each half,
      // bit for bit.
      let pairEnd = head + ((count - head) & ~15)
      var phase16 = SIMD16<UInt32>(lowHalf: phase, highHalf: phase &+ phaseStep)
      let phaseStep16 = SIMD16<UInt32>(repeating: inc &* 16)
      /// Calls `pass(smooth)` until fewer than sixteen frames are left; `pass` adds the sixteen frames at `i`
      /// and advances `i` and the phase.
      @inline(__always) func pairs(_ pass: (_ smooth: Bool) -> Void) {
        while i < pairEnd {
          var room = Shape.room16(phase16[0], bl)
          guard room >= bl.smoothRoom16 else {
            pass(false)
            continue
          }
          repeat {
            pass(true)
            room &-= bl.step16
          } while room >= bl.smoothRoom16 && i < pairEnd
        }
        phase = phase16.lowHalf
      }
      if seg.c1 == 0 {
        let fold = ScaleFold(Shape.self, c0: seg.c0, gainLeft: gl, gainRight: gr)
        /// The corrected pass near an edge (the samples times c0, then each channel's gain), `smoothPass` far
        /// from the edges.
        @inline(__always) func pass(_ smooth: Bool, _ smoothPass: (SIMD16<UInt32>) -> Void) {
          if smooth {
            smoothPass(phase16)
          } else {
            add16(Shape.sample16(phase16, bl) * c016, at: i)
          }
          phase16 &+= phaseStep16
          i &+= 16
        }
        if let gains = fold.gains {
          // x·c0·g with c0 a power of two: one rounding either way, so the saw's integer phase times g·c0·2^-31,
          // and a corrected sample times g·c0 (`ScaleFold`).
          pairs { smooth in
            if smooth {
              addScaled16(Shape.integer16(phase16), gains.phase, at: i)
            } else {
              addScaled16(Shape.sample16(phase16, bl), gains.sample, at: i)
            }
            phase16 &+= phaseStep16
            i &+= 16
          }
        } else if let scale = fold.scale {
          pairs { smooth in pass(smooth) { p in add16(Shape.integer16(p) * scale, at: i) } }
        } else {
          pairs { smooth in pass(smooth) { p in add16(Shape.smooth16(p) * c016, at: i) } }
        }
        while i < simdEnd {
          add(Shape.sample8(phase, bl) * c0, at: i)
          phase &+= phaseStep
          i += 8
        }
      } else {
        @inline(__always) func level(_ offset: SIMD8<Int32>) -> SIMD8<Float> {
          c0 + c1 * (SIMD8<Float>(offset) * seg.inverseLength)
        }
        let c116 = SIMD16<Float>(repeating: seg.c1)
        var envOffset16 = SIMD16<Int32>(lowHalf: envOffset, highHalf: envOffset &+ 8)
        /// `level` of sixteen frames.
        @inline(__always) func level16(_ offset: SIMD16<Int32>) -> SIMD16<Float> {
          c016 + c116 * (float16(offset) * seg.inverseLength)
        }
        pairs { smooth in
          let level = level16(envOffset16)
          // Two branches: written as one `?:` expression, the optimiser turned it into a select that computed
          // the corrections on every pass (measured: W1's release ramps 4 % of its synthesis).
          if smooth {
            add16(Shape.smooth16(phase16) * level, at: i)
          } else {
            add16(Shape.sample16(phase16, bl) * level, at: i)
          }
          phase16 &+= phaseStep16
          envOffset16 &+= 16
          i &+= 16
        }
        envOffset = envOffset16.lowHalf
        while i < simdEnd {
          add(Shape.sample8(phase, bl) * level(envOffset), at: i)
          phase &+= phaseStep
          envOffset &+= 8
          i += 8
        }
      }
    }
    scalar(until: count)
  }
}
