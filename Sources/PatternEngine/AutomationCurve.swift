import PatternLanguage

/// An `Automation` as the engine plays it: evaluated on a fixed grid of `grid` frames counted from the song's
/// start (never from a block), and joined by straight lines between grid points, so a value never steps and
/// every block size and thread count sees the same per-frame values.
///
/// Each grid point costs one evaluation (the beat of the frame through the tempo map, the breakpoints, the LFO,
/// `transform`); frames in between cost one multiply-add. Not shared between threads: each consumer (a track
/// strip, a send, an effect slot) owns its curves.
final class AutomationCurve {
  static let grid: Int64 = 32
  let automation: Automation
  private let tempo: TempoMap
  /// The parameter's value → what the engine multiplies or sets (dB → linear gain, pan → one side's gain).
  private let transform: (Double) -> Double
  /// The last grid cell asked for, and its two ends.
  private var cell: Int64 = .min
  private var a: Float = 0
  private var b: Float = 0

  init(_ automation: Automation, tempo: TempoMap, transform: @escaping (Double) -> Double = { $0 }) {
    self.automation = automation
    self.tempo = tempo
    self.transform = transform
  }

  /// The transformed value at song frame `frame` exactly (frames before 0 take the value at 0).
  func value(atFrame frame: Int64) -> Double {
    transform(automation.value(atBeat: tempo.beat(atFrame: max(0, frame))))
  }

  /// The value at grid point `k` (frame k · grid).
  private func gridValue(_ k: Int64) -> Float { Float(value(atFrame: k * AutomationCurve.grid)) }

  /// The per-frame value at song frame `frame`: the straight line between the grid points around it.
  @inline(__always)
  func sample(_ frame: Int64) -> Float {
    let f = max(0, frame)
    let k = f / AutomationCurve.grid
    if k != cell {
      a = k == cell + 1 ? b : gridValue(k)
      b = gridValue(k + 1)
      cell = k
    }
    let u = Float(f - k * AutomationCurve.grid) * (1 / Float(AutomationCurve.grid))
    return a + (b - a) * u
  }

  /// `count` per-frame values from song frame `frame` into `out`.
  func fill(_ out: UnsafeMutablePointer<Float>, from frame: Int64, count: Int) {
    for i in 0..<count { out[i] = sample(frame + Int64(i)) }
  }
}
