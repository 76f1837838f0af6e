import PatternLanguage

/// Brings songs to a loudness target under a true-peak ceiling: one gain for the whole set (a song, or an
/// album's tracks), and the true-peak limiter on the songs whose peaks would pass the ceiling at that gain.
///
/// Loudness is measured after the limiter, by rendering in memory (float, a `LoudnessSink` only) exactly what
/// the file will get, so the file itself measures on target. The limiter lowers a song's loudness a little,
/// as does a song's own master compressor, so the gain is corrected (secant steps) and measured again, until
/// within 0.05 LU (at most 6 rounds).
public struct LoudnessNormalizer: Sendable {
  public var renderer: Renderer
  /// Integrated loudness to reach, LUFS.
  public var targetLufs: Double
  /// True peak not to pass, dBTP.
  public var ceilingDbtp: Double

  public init(renderer: Renderer, targetLufs: Double, ceilingDbtp: Double) {
    self.renderer = renderer
    self.targetLufs = targetLufs
    self.ceilingDbtp = ceilingDbtp
  }

  /// What to render each song with, and what it measured.
  public struct Plan {
    /// Gain added to every song's own master gain, dB.
    public var gainDecibels: Double
    /// Per song: whether it needs the limiter.
    public var limited: [Bool]
    /// The set's integrated loudness as planned, LUFS (−∞ for silence).
    public var loudnessLufs: Double
    /// Per song, its meter as planned (nil: not measured at the planned gain — when loudness simply follows the
    /// gain — or it could not be).
    public var meters: [LoudnessMeter?]
  }

  /// Plans one gain for `songs` (each compiled, with the settings it is rendered with, whose master gain is
  /// its own). Songs that fail to render keep a nil meter and take no part. `ownMeters`: each song already
  /// measured at its own gain without a limiter (saves that first round).
  public func plan(
    _ songs: [(CompiledPattern, RenderSettings)], jobs: Int = 1, ownMeters: [LoudnessMeter?]? = nil
  ) throws -> Plan {
    let shared = UncheckedShared(songs)
    return plan(
      count: songs.count, jobs: jobs, ownMeters: ownMeters,
      masterChains: songs.contains { !$0.0.score.master.isEmpty }
    ) { i, gain, ceiling in
      var (compiled, settings) = shared.value[i]
      settings.masterGainDecibels += gain
      settings.truePeakCeiling = ceiling
      let sink = LoudnessSink(truePeak: ceiling == nil)
      guard (try? renderer.render(compiled, settings: settings, into: [sink])) != nil else { return nil }
      return sink.meter
    }
  }

  /// Plans one gain for `count` songs, each measured by `measure(song, gain, ceiling)`: its loudness with
  /// `gain` dB added to its own and the true-peak limiter at `ceiling` (nil: none), or nil when it cannot be
  /// measured. `masterChains`: whether any song has its own master chain (which may hear the gain).
  /// `whenIdle`: work for a job whose songs of a round are measured while another's are not
  /// (`Parallel.forEach(count:jobs:whenIdle:_:)`).
  public func plan(
    count: Int, jobs: Int = 1, ownMeters: [LoudnessMeter?]? = nil, masterChains: Bool,
    whenIdle: (@Sendable (_ othersBusy: () -> Bool) -> Void)? = nil,
    measure one: @escaping @Sendable (Int, Double, Double?) -> LoudnessMeter?
  ) -> Plan {
    let ceilingDbtp = self.ceilingDbtp
    func measure(gain: Double, limited: [Bool]) -> [LoudnessMeter?] {
      Parallel.map(count: count, jobs: jobs, whenIdle: whenIdle) { one($0, gain, limited[$0] ? ceilingDbtp : nil) }
    }
    func album(_ m: [LoudnessMeter?]) -> Double {
      let meters = m.compactMap { $0 }.filter { $0.integratedLUFS.isFinite }
      return meters.isEmpty ? -.infinity : LoudnessMeter.integratedLUFS(of: meters)
    }
    var limited = [Bool](repeating: false, count: count)
    var measured = ownMeters ?? measure(gain: 0, limited: limited)
    let own = album(measured)
    guard own.isFinite else {
      return Plan(
        gainDecibels: 0, limited: limited, loudnessLufs: own,
        meters: measured)
    }
    // True peak scales with gain: which songs would pass the ceiling at the gain that reaches the target.
    var gain = targetLufs - own
    limited = measured.map { m in m.map { $0.truePeakDBTP + gain > ceilingDbtp - 0.05 } ?? false }
    // Loudness follows the gain exactly unless something non-linear comes after it: the limiter, or a song's
    // own master chain (its compressor hears the gain). Then measure what the file will be, and correct.
    // The master stage's soft clip (a knee from −1 dBFS) is non-linear too: a song measured near full scale
    // had its peaks bent, so at a lower gain they come back higher than the measurement says.
    let kneeEngaged = measured.contains { m in
      let peak = m?.truePeakDBTP ?? -.infinity
      return peak > -1.1 || peak + gain > -1.1
    }
    let nonLinear = limited.contains(true) || kneeEngaged || masterChains
    guard nonLinear else {
      return Plan(
        gainDecibels: gain, limited: limited, loudnessLufs: targetLufs,
        meters: measured.map { _ in nil })
    }
    measured = measure(gain: gain, limited: limited)
    var level = album(measured)
    var round = 0
    // The secant method: the loudness's slope against the gain from the last two rounds (1 at first; less
    // under compression), kept within 0.1 … 1. A song measured over the ceiling without its limiter gets it
    // and the round is measured again, so no file ends over the ceiling.
    var (lastGain, lastLevel) = (0.0, own)
    while round < 8 {
      let over = measured.indices.filter { i in
        !limited[i] && (measured[i].map { $0.truePeakDBTP > ceilingDbtp } ?? false)
      }
      if over.isEmpty && abs(targetLufs - level) <= 0.05 { break }
      if over.isEmpty {
        let slope = gain != lastGain ? min(1, max(0.1, (level - lastLevel) / (gain - lastGain))) : 1
        (lastGain, lastLevel) = (gain, level)
        let step = (targetLufs - level) / slope
        // Peaks move with the gain: a song that would pass the ceiling at the new gain gets the limiter now.
        for i in measured.indices where !limited[i] {
          if let m = measured[i], m.truePeakDBTP + step > ceilingDbtp - 0.05 { limited[i] = true }
        }
        gain += step
      }
      for i in over { limited[i] = true }
      measured = measure(gain: gain, limited: limited)
      level = album(measured)
      round += 1
    }
    return Plan(
      gainDecibels: gain, limited: limited, loudnessLufs: level,
      meters: measured)
  }
}
