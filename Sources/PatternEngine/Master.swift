/// The master stage: gain, a soft limiter that never lets a sample reach full scale, and quantisation to
/// integers with TPDF dither from a counter-based PRNG (a pure function of seed, frame and channel, so
/// block and chunk boundaries cannot change a bit).
package enum Master {
  /// The key of the dither's noise stream. Fixed: a song's `seed N;` moves its notes' noise, never the dither,
  /// so the dither of every render so far (and every golden hash) stays as it was.
  package static let ditherSeed: UInt64 = 0

  /// Level where the limiter's knee starts (−1 dBFS); below it the signal passes untouched.
  package static let threshold: Float = 0.891_250_9

  /// The largest `Float` below 1.
  static let largestBelowOne: Float = 1 - 1.0 / 16_777_216

  /// Soft limiter: identity up to `threshold`, then a smooth curve approaching (never reaching) ±1.
  /// Continuous with slope 1 at the knee.
  @inline(__always)
  package static func limit(_ x: Float) -> Float {
    let a = x < 0 ? -x : x
    if a <= threshold { return x }
    let z = (a - threshold) * (1 / (1 - threshold))
    // The curve approaches 1; for huge inputs float rounding would reach it, so cap just below.
    let y = min(threshold + (1 - threshold) * (z / (1 + z)), largestBelowOne)
    return x < 0 ? -y : y
  }

  /// Applies the master gain and the limiter to a stereo block and interleaves it, tracking the peak and
  /// the sum of squares (after the limiter).
  ///
  /// A SIMD8 pass applies the gain, which is all the limiter does below its threshold; only if some sample
  /// of the block passed the threshold does a scalar pass redo the block through `limit`. Both give the same
  /// bits for every sample. (No `any(mask)` per vector: it calls an out-of-line `SIMD.min()`.)
  static func limitAndInterleave(
    left: UnsafePointer<Float>, right: UnsafePointer<Float>, gain: Float, frames: Int,
    into out: UnsafeMutablePointer<Float>, peak: inout Float, sumOfSquares: inout Float, limiting: Bool = true
  ) {
    var i = 0
    var peak8 = SIMD8<Float>(repeating: 0)
    var squares8 = SIMD8<Float>()
    // |x| by clearing the sign bit (one AND; a compare-and-select per channel cost a quarter of this loop).
    let magnitude = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
    while i + 8 <= frames {
      let l = UnsafeRawPointer(left + i).loadUnaligned(as: SIMD8<Float>.self) * gain
      let r = UnsafeRawPointer(right + i).loadUnaligned(as: SIMD8<Float>.self) * gain
      let al = unsafeBitCast(unsafeBitCast(l, to: SIMD8<UInt32>.self) & magnitude, to: SIMD8<Float>.self)
      let ar = unsafeBitCast(unsafeBitCast(r, to: SIMD8<UInt32>.self) & magnitude, to: SIMD8<Float>.self)
      let m = al.replacing(with: ar, where: ar .> al)
      peak8.replace(with: m, where: m .> peak8)
      squares8 += l * l + r * r
      i += 8
    }
    var p = peak8.max()
    var sq = squares8.sum()
    for j in i..<frames {
      let l = left[j] * gain
      let r = right[j] * gain
      p = max(p, abs(l), abs(r))
      sq += l * l + r * r
    }
    // Interleave in a plain loop (LLVM vectorises it with two shuffles per eight frames; building the vectors
    // from lanes in the loop above made its SLP vectoriser scramble the whole loop).
    for j in 0..<frames {
      out[2 * j] = left[j] * gain
      out[2 * j + 1] = right[j] * gain
    }
    if limiting && p > threshold {
      // Some sample needs limiting: redo the block through the limiter (identity below the threshold).
      p = 0
      sq = 0
      for j in 0..<frames {
        let l = limit(left[j] * gain)
        let r = limit(right[j] * gain)
        out[2 * j] = l
        out[2 * j + 1] = r
        p = max(p, abs(l), abs(r))
        sq += l * l + r * r
      }
    }
    peak = max(peak, p)
    sumOfSquares += sq
  }

  /// `limitAndInterleave` over a chunk, one 1,024-frame tile at a time (so a tile's channels stay in L1): the
  /// master stage of a render and of a `MasterChain`.
  static func stage(
    left: UnsafePointer<Float>, right: UnsafePointer<Float>, gain: Float, frames: Int,
    into out: UnsafeMutablePointer<Float>, peak: inout Float, sumOfSquares: inout Float, limiting: Bool
  ) {
    var t = 0
    while t < frames {
      let n = min(RenderSession.mixTileFrames, frames - t)
      limitAndInterleave(
        left: left + t, right: right + t, gain: gain, frames: n, into: out + 2 * t, peak: &peak,
        sumOfSquares: &sumOfSquares, limiting: limiting)
      t += n
    }
  }

  /// Quantises interleaved samples (already limited) starting at `firstFrame` to 16-bit, with TPDF dither
  /// of ±1 LSB keyed by (seed, absolute sample index).
  ///
  /// Float arithmetic is exact enough here (24-bit mantissa for a 16-bit result); rounding uses the
  /// 1.5·2^23 magic number (round to nearest even) and the integer is read from the float's bits, because
  /// Swift's SIMD float→int conversion is a generic per-lane call. The tail runs the same operations scalar.
  package static func quantize16(
    _ input: UnsafeBufferPointer<Float>, channels: Int, firstFrame: Int64, seed: UInt64,
    into out: UnsafeMutableBufferPointer<Int16>
  ) {
    let first = UInt32(truncatingIfNeeded: firstFrame * Int64(channels))
    let keyLo = UInt32(truncatingIfNeeded: seed ^ 0xD17E_D17E)
    let keyHi = UInt32(truncatingIfNeeded: (seed >> 32) ^ 0x5EED)
    let magic: Float = 12_582_912
    var i = 0
    /// The vector loop; `clamps` is a constant in each of its two uses.
    @inline(__always) func vectors(clamps: Bool) {
      while i + 8 <= input.count {
        let x = UnsafeRawPointer(input.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
        let index = SIMD8<UInt32>(repeating: first &+ UInt32(truncatingIfNeeded: i)) &+ OscillatorKernel.laneIndex
        let h = NoiseHash.lowbias32(NoiseHash.lowbias32(index ^ keyLo) ^ keyHi)
        let d = (bitsToUnit(h & 0xFFFF) - bitsToUnit(h &>> 16))
        var v = x * 32767 + d
        v = (v + magic) - magic
        if clamps {
          v.replace(with: 32767, where: v .> 32767)
          v.replace(with: -32768, where: v .< -32768)
        }
        let n = unsafeBitCast(v + magic, to: SIMD8<UInt32>.self) &- 0x4B40_0000
        UnsafeMutableRawPointer(out.baseAddress! + i).storeBytes(
          of: SIMD8<UInt16>(truncatingIfNeeded: n), as: SIMD8<UInt16>.self)
        i += 8
      }
    }
    // The clamps act only where |x| reaches 0.99998 (32767·x plus less than 1 of dither must round past 32767),
    // so a chunk below that skips them: the same values (and NaN, which the clamps leave as it is, is not
    // counted by `maxMagnitude` either). They compiled to a quarter of this loop's instructions.
    if maxMagnitude(input) < 0.999_98 { vectors(clamps: false) } else { vectors(clamps: true) }
    while i < input.count {
      let h = NoiseHash.lowbias32(NoiseHash.lowbias32((first &+ UInt32(truncatingIfNeeded: i)) ^ keyLo) ^ keyHi)
      let d = bitsToUnit(h & 0xFFFF) - bitsToUnit(h >> 16)
      var v = input[i] * 32767 + d
      v = (v + magic) - magic
      // Tested as the vector lanes test (not `min`/`max`), so a NaN gives the same value in any position (0 for
      // the default NaN; a payload's low bits otherwise).
      if v > 32767 { v = 32767 }
      if v < -32768 { v = -32768 }
      out[i] = Int16(truncatingIfNeeded: (v + magic).bitPattern &- 0x4B40_0000)
      i += 1
    }
  }

  /// The largest |x| of `input`, not counting NaN (a NaN lane never replaces the running maximum).
  static func maxMagnitude(_ input: UnsafeBufferPointer<Float>) -> Float {
    var peak8 = SIMD8<Float>(repeating: 0)
    let magnitude = SIMD8<UInt32>(repeating: 0x7FFF_FFFF)
    var i = 0
    while i + 8 <= input.count {
      let x = UnsafeRawPointer(input.baseAddress! + i).loadUnaligned(as: SIMD8<UInt32>.self)
      let a = unsafeBitCast(x & magnitude, to: SIMD8<Float>.self)
      peak8.replace(with: a, where: a .> peak8)
      i += 8
    }
    var peak = peak8.max()
    while i < input.count {
      if abs(input[i]) > peak { peak = abs(input[i]) }
      i += 1
    }
    return peak
  }

  /// A 16-bit integer as a float in [0, 1) (exact: × 2^-16).
  @inline(__always)
  static func bitsToUnit(_ x: UInt32) -> Float { Float(x) * (1 / 65536) }

  @inline(__always)
  static func bitsToUnit(_ x: SIMD8<UInt32>) -> SIMD8<Float> {
    // x < 2^16: OR it into the mantissa of 2^23 and subtract (exact; no int→float conversion call).
    (unsafeBitCast(x | 0x4B00_0000, to: SIMD8<Float>.self) - 8_388_608) * (1 / 65536)
  }

  /// Quantises to 24-bit, returned in the top 24 bits of each `Int32` (libsndfile's convention).
  package static func quantize24(
    _ input: UnsafeBufferPointer<Float>, channels: Int, firstFrame: Int64, seed: UInt64,
    into out: UnsafeMutableBufferPointer<Int32>
  ) {
    // Double precision (a 24-bit result plus sub-LSB dither needs more than a float's 24 bits). The same
    // keyed 32-bit hash as 16-bit, with 16-bit halves as the two uniform variates; rounding by adding and
    // subtracting 1.5·2^52 (round to nearest even, no libm call on the baseline x86-64 target).
    let first = UInt32(truncatingIfNeeded: firstFrame * Int64(channels))
    let keyLo = UInt32(truncatingIfNeeded: seed ^ 0xD17E_D17E)
    let keyHi = UInt32(truncatingIfNeeded: (seed >> 32) ^ 0x5EED)
    let magic = 6_755_399_441_055_744.0
    for i in 0..<input.count {
      let h = NoiseHash.lowbias32(NoiseHash.lowbias32((first &+ UInt32(truncatingIfNeeded: i)) ^ keyLo) ^ keyHi)
      let d = Double(h & 0xFFFF) * (1 / 65536) - Double(h >> 16) * (1 / 65536)
      let v = min(8_388_607, max(-8_388_608, (Double(input[i]) * 8_388_607 + d + magic) - magic))
      out[i] = Int32(v) << 8
    }
  }
}
