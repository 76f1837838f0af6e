import PatternLanguage

/// A track strip's moving fader, width and pan, applied after its inserts: per frame, mid/side with the gain
/// and width, then the pan as a balance (constant power, unity at the centre, so a mono track panned here
/// sounds as its notes would panned one by one). Curves are read at the song frames the strip's signal holds
/// (its frames lag the song by the inserts' latency).
final class StripAutomation {
  private let gain: AutomationCurve?
  private let width: AutomationCurve?
  private let panLeft: AutomationCurve?
  private let panRight: AutomationCurve?
  private let latency: Int
  private var position: Int64 = 0
  private let scratch: UnsafeMutablePointer<Float>
  private let tile: Int

  /// Nil when nothing of the track moves.
  init?(_ track: Track, tempo: TempoMap, tile: Int, latency: Int) {
    guard track.gainAutomation != nil || track.widthAutomation != nil || track.panAutomation != nil else {
      return nil
    }
    gain = track.gainAutomation.map { AutomationCurve($0, tempo: tempo) { DSPMath.gain(decibels: $0) } }
    width = track.widthAutomation.map { AutomationCurve($0, tempo: tempo) }
    // Balance: the constant-power pan law divided by its centre value (√2 · cos/sin of (p + 1)·π/4).
    panLeft = track.panAutomation.map {
      AutomationCurve($0, tempo: tempo) { p in Double(DSPMath.panGains(p).left) * 2.0.squareRoot() }
    }
    panRight = track.panAutomation.map {
      AutomationCurve($0, tempo: tempo) { p in Double(DSPMath.panGains(p).right) * 2.0.squareRoot() }
    }
    self.latency = latency
    self.tile = tile
    scratch = .zeroed(4 * tile)
  }

  deinit { scratch.deallocate() }

  /// Fader, width and pan on `count` frames (≤ the tile), in place; `gain`/`width` are the constant values
  /// used where nothing moves.
  func apply(
    left l: UnsafeMutablePointer<Float>, right r: UnsafeMutablePointer<Float>, count n: Int, gain g: Float,
    width w: Float
  ) {
    let song = position - Int64(latency)
    position += Int64(n)
    let gains = scratch
    let widths = scratch + tile
    let lefts = scratch + 2 * tile
    let rights = scratch + 3 * tile
    if let gain { gain.fill(gains, from: song, count: n) } else { gains.update(repeating: g, count: n) }
    if let width { width.fill(widths, from: song, count: n) } else { widths.update(repeating: w, count: n) }
    if let panLeft, let panRight {
      panLeft.fill(lefts, from: song, count: n)
      panRight.fill(rights, from: song, count: n)
    } else {
      lefts.update(repeating: 1, count: n)
      rights.update(repeating: 1, count: n)
    }
    for i in 0..<n {
      let mid = (l[i] + r[i]) * 0.5 * gains[i]
      let side = (l[i] - r[i]) * 0.5 * gains[i] * widths[i]
      l[i] = (mid + side) * lefts[i]
      r[i] = (mid - side) * rights[i]
    }
  }
}
