import CEBUR128
import Foundation

/// ITU-R BS.1770 integrated loudness of one or two interleaved float channels exactly as libebur128 1.2.6
/// measures it in `EBUR128_MODE_I` on x86-64, bit for bit: the same K-weighting filter (one fourth-order
/// direct form II in double, the same coefficients from libm's `tan` and `pow`, the same order of operations,
/// flush-to-zero on while filtering), the same 400 ms gating blocks every 100 ms, each summed over libebur128's
/// circular buffer in its order, and the same absolute and relative gates (`IntegratedLoudnessMeterTests`
/// compares the two exactly).
///
/// Why not libebur128's own: a block's sum of squares is one chain of 4 × 100 ms of additions, and libebur128
/// runs it channel after channel, one block at a time, so every addition waits for the one before (it was a
/// fifth of an album export's CPU). Here both channels share one `SIMD2<Double>`, the filter included; each
/// sample is squared once, when its 100 ms segment is complete, rather than once for each of the four blocks
/// that read it; and the blocks are summed eight at a time, as sixteen independent chains, so additions
/// overlap. Each chain still adds the same squares in the same order, so every block's energy, and so the
/// loudness, is unchanged.
public final class IntegratedLoudnessMeter {
  /// Interleaved channels: 1 or 2.
  public let channels: Int
  /// Hz.
  private let sampleRate: Int
  /// Frames per 100 ms: libebur128's `samples_in_100ms`.
  private let segment: Int
  private let a1: Double, a2: Double, a3: Double, a4: Double
  private let b0: Double, b1: Double, b2: Double, b3: Double, b4: Double
  /// The filter's state, both channels (the second lane is unused, and stays 0, for mono).
  private var v1 = SIMD2<Double>.zero, v2 = SIMD2<Double>.zero, v3 = SIMD2<Double>.zero, v4 = SIMD2<Double>.zero
  /// Filtered frames of the last `ring` segments of 100 ms: segment `s` at `(s % ring) * segment`, squared
  /// when it is complete.
  private let filtered: UnsafeMutablePointer<SIMD2<Double>>
  /// Gating blocks summed together, and segments kept: eight blocks read eleven segments (summed as soon as
  /// the last of them is complete, before the next is filtered), and one more.
  private static let blocksAtOnce = 8
  private static let ring = 12
  /// Segments complete, and frames of the one being filled.
  private var segmentsDone = 0
  private var framesInSegment = 0
  /// The segment whose gating block (it and the three before) is the next to be summed.
  private var nextBlock = 3
  /// Energies of the gating blocks at or above the absolute gate, in order: libebur128's block list.
  private var blocks: [Double] = []

  /// libebur128's absolute gate (−70 LUFS as an energy) and relative gate factor (−10 LU).
  private static let absoluteGate = pow(10.0, (-70.0 + 0.691) / 10.0)
  private static let relativeGateFactor = pow(10.0, -10.0 / 10.0)

  /// Whether this meter computes what libebur128 would on this machine: it reproduces the x86-64 build (whose
  /// filter flushes denormals in hardware), for one or two channels at a rate whose 400 ms window is four
  /// whole 100 ms segments (every rate divisible by 10).
  public static func matchesLibrary(sampleRate: Int, channels: Int) -> Bool {
    #if arch(x86_64)
      return (1...2).contains(channels) && sampleRate > 0 && sampleRate % 10 == 0
    #else
      return false
    #endif
  }

  /// - Precondition: `matchesLibrary(sampleRate:channels:)`.
  public init(sampleRate: Int, channels: Int) {
    precondition(Self.matchesLibrary(sampleRate: sampleRate, channels: channels), "no exact meter for this layout")
    self.channels = channels
    self.sampleRate = sampleRate
    segment = (sampleRate + 5) / 10
    // ebur128_init_filter, operation for operation: a high shelf, then a high pass, multiplied out.
    let rate = Double(sampleRate)
    var f0 = 1681.974450955533
    let g = 3.999843853973347
    var q = 0.7071752369554196
    var k = tan(Double.pi * f0 / rate)
    let vh = pow(10.0, g / 20.0)
    let vb = pow(vh, 0.4996667741545416)
    let a0 = 1.0 + k / q + k * k
    let pb = ((vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0)
    let pa = (1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0)
    f0 = 38.13547087602444
    q = 0.5003270373238773
    k = tan(Double.pi * f0 / rate)
    let ra = (1.0, 2.0 * (k * k - 1.0) / (1.0 + k / q + k * k), (1.0 - k / q + k * k) / (1.0 + k / q + k * k))
    let rb = (1.0, -2.0, 1.0)
    b0 = pb.0 * rb.0
    b1 = pb.0 * rb.1 + pb.1 * rb.0
    b2 = pb.0 * rb.2 + pb.1 * rb.1 + pb.2 * rb.0
    b3 = pb.1 * rb.2 + pb.2 * rb.1
    b4 = pb.2 * rb.2
    a1 = pa.0 * ra.1 + pa.1 * ra.0
    a2 = pa.0 * ra.2 + pa.1 * ra.1 + pa.2 * ra.0
    a3 = pa.1 * ra.2 + pa.2 * ra.1
    a4 = pa.2 * ra.2
    filtered = .allocate(capacity: Self.ring * segment)
    filtered.initialize(repeating: .zero, count: Self.ring * segment)
  }

  deinit { filtered.deallocate() }

  /// Adds interleaved frames (any count; state carries over between calls).
  public func add(_ samples: UnsafeBufferPointer<Float>) {
    guard let base = samples.baseAddress else { return }
    let frames = samples.count / channels
    var done = 0
    while done < frames {
      let n = min(frames - done, segment - framesInSegment)
      filter(base + done * channels, frames: n, into: nextFiltered)
      advance(n)
      done += n
    }
  }

  /// Adds interleaved stereo frames to two meters at once: `sa` to `a`, `sb` to `b` (the same number of
  /// frames). When both are stereo at one rate and at the same position their filters run side by side, one
  /// `SIMD4<Double>` for the four channels: two independent recurrences overlap where one waits on its own
  /// latency. Each lane does what `filter` does, so each meter ends as `add` leaves it; otherwise it is `add`.
  public static func addPair(
    _ a: IntegratedLoudnessMeter, _ sa: UnsafeBufferPointer<Float>, _ b: IntegratedLoudnessMeter,
    _ sb: UnsafeBufferPointer<Float>
  ) {
    guard let pa = sa.baseAddress, let pb = sb.baseAddress, sa.count == sb.count, a.channels == 2,
      b.channels == 2, a.sampleRate == b.sampleRate, a.segmentsDone == b.segmentsDone,
      a.framesInSegment == b.framesInSegment
    else {
      a.add(sa)
      b.add(sb)
      return
    }
    let frames = sa.count / 2
    var done = 0
    while done < frames {
      let n = min(frames - done, a.segment - a.framesInSegment)
      filterPair(a, pa + 2 * done, b, pb + 2 * done, frames: n)
      a.advance(n)
      b.advance(n)
      done += n
    }
  }

  /// Where the next filtered frame goes.
  private var nextFiltered: UnsafeMutablePointer<SIMD2<Double>> {
    filtered + (segmentsDone % Self.ring) * segment + framesInSegment
  }

  /// Counts `n` more filtered frames; a segment complete is squared and makes its gating block due.
  private func advance(_ n: Int) {
    framesInSegment += n
    guard framesInSegment == segment else { return }
    square(segment: segmentsDone)
    segmentsDone += 1
    framesInSegment = 0
    // Eight blocks are due: sum them now, before the ring reuses the oldest segment they read.
    if segmentsDone - nextBlock == Self.blocksAtOnce { sumBlocks(Self.blocksAtOnce) }
  }

  /// `filter` for two stereo meters of one rate, lanes (a left, a right, b left, b right).
  private static func filterPair(
    _ a: IntegratedLoudnessMeter, _ sa: UnsafePointer<Float>, _ b: IntegratedLoudnessMeter,
    _ sb: UnsafePointer<Float>, frames: Int
  ) {
    #if arch(x86_64)
      let csr = pstudio_flush_to_zero_on()
      defer { pstudio_restore_csr(csr) }
    #endif
    /// `a`'s two lanes, then `b`'s.
    func join(_ x: SIMD2<Double>, _ y: SIMD2<Double>) -> SIMD4<Double> { SIMD4(lowHalf: x, highHalf: y) }
    var (v1, v2, v3, v4) = (join(a.v1, b.v1), join(a.v2, b.v2), join(a.v3, b.v3), join(a.v4, b.v4))
    let (a1, a2, a3, a4) = (a.a1, a.a2, a.a3, a.a4)
    let (b0, b1, b2, b3, b4) = (a.b0, a.b1, a.b2, a.b3, a.b4)
    let (outA, outB) = (a.nextFiltered, b.nextFiltered)
    for i in 0..<frames {
      let x = SIMD4(Double(sa[2 * i]), Double(sa[2 * i + 1]), Double(sb[2 * i]), Double(sb[2 * i + 1]))
      let v0 = x - a1 * v1 - a2 * v2 - a3 * v3 - a4 * v4
      let y = b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3 + b4 * v4
      (outA[i], outB[i]) = (y.lowHalf, y.highHalf)
      v4 = v3
      v3 = v2
      v2 = v1
      v1 = v0
    }
    (a.v1, a.v2, a.v3, a.v4) = (v1.lowHalf, v2.lowHalf, v3.lowHalf, v4.lowHalf)
    (b.v1, b.v2, b.v3, b.v4) = (v1.highHalf, v2.highHalf, v3.highHalf, v4.highHalf)
  }

  /// The K-weighting filter over `frames` frames from `source`, into `out` (libebur128's `ebur128_filter_float`
  /// with its flush-to-zero).
  private func filter(_ source: UnsafePointer<Float>, frames: Int, into out: UnsafeMutablePointer<SIMD2<Double>>) {
    #if arch(x86_64)
      let csr = pstudio_flush_to_zero_on()
      defer { pstudio_restore_csr(csr) }
    #endif
    var (v1, v2, v3, v4) = (self.v1, self.v2, self.v3, self.v4)
    let stereo = channels == 2
    for i in 0..<frames {
      let x =
        stereo
        ? SIMD2(Double(source[2 * i]), Double(source[2 * i + 1])) : SIMD2(Double(source[i]), 0)
      let v0 = x - a1 * v1 - a2 * v2 - a3 * v3 - a4 * v4
      out[i] = b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3 + b4 * v4
      v4 = v3
      v3 = v2
      v2 = v1
      v1 = v0
    }
    (self.v1, self.v2, self.v3, self.v4) = (v1, v2, v3, v4)
  }

  /// Sums the gating blocks of segments `nextBlock ..< nextBlock + count` (each complete and squared), as
  /// interleaved chains. libebur128's circular buffer holds exactly four segments and its sum runs over it from
  /// the start, so a block adds its segments in buffer order: position `j` holds the latest segment
  /// `s ≡ j (mod 4)`. Eight blocks at once are 16 independent chains (channels × blocks, two blocks to a
  /// `SIMD4`): each addition waits ~4 cycles for the one before in its chain, so four chains kept one addition
  /// per cycle in flight where sixteen keep the adder busy.
  private func sumBlocks(_ count: Int) {
    let n0 = nextBlock
    func segmentPointer(_ block: Int, _ j: Int) -> UnsafeMutablePointer<SIMD2<Double>> {
      let s = block - (block - j) % 4
      return filtered + (s % Self.ring) * segment
    }
    func pair(_ block: Int, _ j: Int) -> (UnsafeMutablePointer<SIMD2<Double>>, UnsafeMutablePointer<SIMD2<Double>>) {
      (segmentPointer(block, j), segmentPointer(block + 1, j))
    }
    if count == Self.blocksAtOnce {
      var sums = (SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero, SIMD4<Double>.zero)
      for j in 0..<4 {
        let (p0, p1, p2, p3) = (pair(n0, j), pair(n0 + 2, j), pair(n0 + 4, j), pair(n0 + 6, j))
        for f in 0..<segment {
          sums.0 += SIMD4(lowHalf: p0.0[f], highHalf: p0.1[f])
          sums.1 += SIMD4(lowHalf: p1.0[f], highHalf: p1.1[f])
          sums.2 += SIMD4(lowHalf: p2.0[f], highHalf: p2.1[f])
          sums.3 += SIMD4(lowHalf: p3.0[f], highHalf: p3.1[f])
        }
      }
      // Blocks n0 … n0 + 7, in order.
      record(sums.0.lowHalf)
      record(sums.0.highHalf)
      record(sums.1.lowHalf)
      record(sums.1.highHalf)
      record(sums.2.lowHalf)
      record(sums.2.highHalf)
      record(sums.3.lowHalf)
      record(sums.3.highHalf)
    } else {
      for b in 0..<count {
        var sum = SIMD2<Double>.zero
        for j in 0..<4 {
          let p = segmentPointer(n0 + b, j)
          for f in 0..<segment { sum += p[f] }
        }
        record(sum)
      }
    }
    nextBlock += count
  }

  /// ebur128_calc_gating_block's end for one block's per-channel sums of squares: sum = 0 + left (+ right),
  /// over the block's frames, then the absolute gate.
  private func record(_ energy: SIMD2<Double>) {
    var sum = 0.0
    sum += energy[0]
    if channels == 2 { sum += energy[1] }
    sum /= Double(4 * segment)
    if sum >= Self.absoluteGate { blocks.append(sum) }
  }

  /// Squares segment `s`'s filtered frames in place, as libebur128 squares each sample where it sums (with
  /// flush-to-zero off, as there): done once here, where each of the four blocks that read it squared it again.
  private func square(segment s: Int) {
    let p = filtered + (s % Self.ring) * segment
    for f in 0..<segment { p[f] = p[f] * p[f] }
  }

  /// Sums the blocks that are due but not yet summed (before reading the loudness).
  private func sumDueBlocks() {
    while nextBlock < segmentsDone { sumBlocks(1) }
  }

  /// Integrated loudness so far, LUFS (−∞ for silence): `ebur128_loudness_global`.
  public var integratedLUFS: Double { Self.integratedLUFS(of: [self]) }

  /// The integrated loudness of several meters taken together, LUFS: `ebur128_loudness_global_multiple`.
  public static func integratedLUFS(of meters: [IntegratedLoudnessMeter]) -> Double {
    var relative = 0.0
    var count = 0
    for meter in meters {
      meter.sumDueBlocks()
      for z in meter.blocks {
        count += 1
        relative += z
      }
    }
    guard count > 0 else { return -.infinity }
    relative /= Double(count)
    relative *= relativeGateFactor
    var gated = 0.0
    count = 0
    for meter in meters {
      for z in meter.blocks where z >= relative {
        count += 1
        gated += z
      }
    }
    guard count > 0 else { return -.infinity }
    gated /= Double(count)
    return 10 * (log(gated) / log(10.0)) - 0.691
  }
}
