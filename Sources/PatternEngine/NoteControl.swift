import PatternLanguage

/// A note's own sound settings in frames (`cutoff=`, `res=`, `fenv=`, `glide=`, `bend=`, `rate=`), read by the
/// voices on their control grid (every 32 frames from the note's start). Moving values are evaluated at the
/// song frame of each grid point through the tempo map, so an LFO stays on the song's beat grid.
final class NoteControl: Sendable {
  let startFrame: Int64
  let tempo: TempoMap
  let cutoff: Automation?
  let resonance: Automation?
  let filterEnvelopeOctaves: Double?
  /// Glide: the pitch starts `glideSemitones` away and reaches the note linearly in pitch after `glideFrames`.
  let glideFrames: Int64
  let glideSemitones: Double
  let bend: Automation?
  let rate: Automation?
  /// Whether the pitch moves at all (glide, bend or rate).
  let movesPitch: Bool
  /// Whether the note asks for a filter (cutoff, res or fenv).
  let wantsFilter: Bool

  /// Nil when the note sets none of these.
  static func of(_ e: NoteEvent, startFrame: Int64, midi: Double, tempo: TempoMap) -> NoteControl? {
    // Checked before the object exists: a class's failable initializer allocates first, so most notes (which set
    // none of these) would allocate and free one each.
    guard
      e.expression.cutoff != nil || e.expression.resonance != nil || e.expression.filterEnvelopeOctaves != nil
        || e.expression.movesPitch
    else { return nil }
    return NoteControl(e.expression, startFrame: startFrame, midi: midi, tempo: tempo)
  }

  private init(_ x: NoteExpression, startFrame: Int64, midi: Double, tempo: TempoMap) {
    self.startFrame = startFrame
    self.tempo = tempo
    cutoff = x.cutoff
    resonance = x.resonance
    filterEnvelopeOctaves = x.filterEnvelopeOctaves
    if let from = x.glideFrom, let seconds = x.glideSeconds, seconds > 0 {
      glideFrames = max(1, Scheduler.frames(seconds, Double(tempo.sampleRate)))
      glideSemitones = Double(from) - midi
    } else {
      glideFrames = 0
      glideSemitones = 0
    }
    bend = x.bend
    rate = x.rate
    movesPitch = glideFrames > 0 || bend != nil || rate != nil
    wantsFilter = cutoff != nil || resonance != nil || filterEnvelopeOctaves != nil
  }

  private func beat(_ k: Int64) -> Double { tempo.beat(atFrame: startFrame + k) }

  /// The pitch offset in semitones `k` frames after the start: glide + bend + the rate's octaves.
  func semitones(_ k: Int64) -> Double {
    var s = 0.0
    if k < glideFrames { s += glideSemitones * (1 - Double(k) / Double(glideFrames)) }
    if let bend { s += bend.value(atBeat: beat(k)) }
    if let rate { s += 12 * AutomationMath.log2(rate.value(atBeat: beat(k))) }
    return s
  }

  /// The frequency ratio `k` frames after the start.
  func pitchRatio(_ k: Int64) -> Double { DSPMath.exp2Double(max(-96, min(96, semitones(k))) / 12) }

  /// The note's cutoff (Hz) `k` frames after the start, nil when it sets none.
  func cutoffHz(_ k: Int64) -> Double? { cutoff.map { $0.value(atBeat: beat(k)) } }

  /// The note's filter Q `k` frames after the start, nil when it sets no `res=`.
  func q(_ k: Int64) -> Double? { resonance.map { NoteExpression.q(resonance: $0.value(atBeat: beat(k))) } }

  /// The slowest playback the note reaches as a factor of its pitch (for a sample's end): the lowest `rate=`,
  /// the lowest bend and a glide from below, 1 when nothing slows it.
  var slowestRatio: Double {
    var semitones = min(0, glideSemitones)
    if let bend {
      let lowest = bend.points.map(\.value).min() ?? 0
      semitones += min(0, max(bend.range.lowerBound, lowest - (bend.lfo?.depth ?? 0)))
    }
    var ratio = DSPMath.exp2Double(semitones / 12)
    if let rate {
      var values = rate.points.map(\.value)
      if let lfo = rate.lfo { values = values.map { $0 * AutomationMath.exp2(-lfo.depth) } }
      ratio *= max(rate.range.lowerBound, min(1, values.min() ?? 1))
    }
    return ratio
  }
}
