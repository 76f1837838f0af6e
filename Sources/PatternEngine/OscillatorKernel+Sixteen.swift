/// The band-limiting residuals on sixteen lanes, for the square's and triangle's corrected passes.
extension OscillatorKernel {
  /// `blep8` on sixteen lanes: each lane's operations as in `blep8`, in one 512-bit vector where the CPU has them.
  /// For a wave's corrected pass, which computes every lane: the residual is exactly 0 on a lane far from the
  /// edge, so lanes `sample8`'s guard would have skipped come out the same.
  @inline(always)
  static func blep16(_ t: SIMD16<Float>, _ bl: BandLimit) -> SIMD16<Float> {
    var r = SIMD16<Float>(repeating: 0)
    let low = t .< bl.dt
    let high = (t .> bl.oneMinusDt) .& .!low
    let y0 = t * bl.inverseDt
    r.replace(with: y0 + y0 - y0 * y0 - 1, where: low)
    let y1 = (t - 1) * bl.inverseDt
    r.replace(with: y1 * y1 + y1 + y1 + 1, where: high)
    return r
  }

  /// `blamp8` on sixteen lanes, as `blep16` is `blep8`'s.
  @inline(always)
  static func blamp16(_ t: SIMD16<Float>, _ bl: BandLimit) -> SIMD16<Float> {
    var r = SIMD16<Float>(repeating: 0)
    let low = t .< bl.dt
    let high = (t .> bl.oneMinusDt) .& .!low
    let y0 = t * bl.inverseDt - 1
    r.replace(with: y0 * y0 * y0 * (-1 / 3), where: low)
    let y1 = (t - 1) * bl.inverseDt + 1
    r.replace(with: y1 * y1 * y1 * (1 / 3), where: high)
    return r
  }
}
