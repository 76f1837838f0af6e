import PatternLanguage

/// What a render of a score will cost, estimated from its schedule before anything is synthesised: enough to
/// start the costliest songs of an album first (longest processing time first), so two jobs finish together.
/// Only an order is taken from it; no output depends on it.
package struct RenderCost: Sendable, Equatable {
  /// Frames of the whole render, including the last release (the schedule's length).
  package var frames: Int64
  /// Estimated single-core time, in nanoseconds of this project's CI machine.
  package var nanoseconds: Double

  /// The estimate for `schedule` of `score`: every voice's frames at its kind's cost, and every frame through
  /// the mix graph's effects and the master stage.
  init(schedule: Schedule, score: Score) {
    frames = schedule.totalFrames
    var voices = 0.0
    for track in schedule.lanes {
      for lane in track {
        for voice in lane { voices += Double(voice.endFrame - voice.startFrame) * RenderCost.perFrame(voice.kind) }
      }
    }
    let effects =
      score.buses.flatMap(\.effects) + score.master + score.tracks.flatMap(\.inserts)
    let mix = 2 * Double(score.tracks.count) + effects.reduce(0) { $0 + RenderCost.perFrame($1.kind) }
    nanoseconds = voices + Double(frames) * (RenderCost.outputPerFrame + mix)
  }

  /// Per frame of output, ns: the master stage, and the writing and measuring every render's output gets.
  static let outputPerFrame = 6.0

  /// Per frame of one voice, ns, one thread (measured: eight 8.5 s notes of each shipped instrument, synthesis
  /// phase of `render --threads 1 --profile`): the resonant-filter synths, the samplers and the modelled grand
  /// 8–11, the additive piano 4, the plucked string 2, plain oscillators 0.3–0.5.
  static func perFrame(_ kind: ScheduledVoice.Kind) -> Double {
    switch kind {
    case .synth, .sampler, .grand: 10
    case .piano, .drum: 4
    case .pluck: 2
    case .noise: 1
    case .oscillator: 0.5
    }
  }

  /// Per frame through one effect, ns (the album's songs: a reverb bus ~14, the rest a few).
  static func perFrame(_ kind: EffectKind) -> Double {
    switch kind {
    case .reverb: 14
    case .drive: 6
    case .chorus, .limit: 4
    case .comp, .eq: 3
    case .delay, .hp, .lp, .peak, .lowshelf, .highshelf: 1.5
    }
  }
}
