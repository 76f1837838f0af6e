/// One note as the engine plays it: everything in frames and per-sample units, computed once when the
/// score is scheduled. A plain value; the render loop only reads it.
struct ScheduledVoice: Sendable {
  enum Kind: Sendable {
    case oscillator(Waveform)
    case noise
    case drum(DrumSound)
    case pluck
    case piano
    case sampler
    case synth
  }

  var kind: Kind
  /// Position in the track's sum order (start frame, then source order).
  var order: Int
  /// First frame that sounds.
  var startFrame: Int64
  /// Frame where the release begins (note-off).
  var noteOffFrame: Int64
  /// First frame after the voice has fully decayed.
  var endFrame: Int64
  var frequencyHz: Double
  /// The MIDI note (60 for drum hits), for per-note timbre.
  var midiNote: Double
  /// Fixed-point phase increment per frame (2^32 = one cycle).
  var phaseIncrement: UInt32
  /// Peak amplitude (patch gain × velocity).
  var amplitude: Float
  var gainLeft: Float
  var gainRight: Float
  /// Envelope in frames (oscillator and noise voices).
  var attackFrames: Int64
  var decayFrames: Int64
  var sustainLevel: Float
  var releaseFrames: Int64
  /// The envelope's level at note-off, from the closed form, so the release starts where the note was.
  var levelAtNoteOff: Float
  /// Noise stream key.
  var seed: UInt64
  /// Low-pass cutoff (Hz) and Q for noise voices.
  var cutoffHz: Double
  var q: Double
  var velocity: Float
  /// The sample a sampler voice plays (nil for every other kind).
  var sample: SamplePlayback? = nil
  /// Oscillators and filter of a synth voice (nil for every other kind).
  var synth: SynthPlayback? = nil
  /// Where a choke group cut this drum hit (a 5 ms fade from here; `.max` when never cut).
  var chokeFrame: Int64 = .max
}

/// One linear piece of an envelope: `level(frame) = c0 + c1 · (Float(frame − origin) · inverseLength)`,
/// valid for frames in `[from, to)`. Every path evaluates exactly this expression, so scalar and SIMD code
/// and every block size agree bit for bit.
struct EnvelopeSegment {
  var from: Int64
  var to: Int64
  var origin: Int64
  var c0: Float
  var c1: Float
  var inverseLength: Float

  @inline(__always)
  func level(at frame: Int64) -> Float {
    c0 + c1 * (Float(Int32(truncatingIfNeeded: frame - origin)) * inverseLength)
  }
}

extension ScheduledVoice {
  /// The envelope piece that covers `frame` (which must lie in `startFrame ..< endFrame`).
  func envelopeSegment(at frame: Int64) -> EnvelopeSegment {
    let attackEnd = min(startFrame + attackFrames, noteOffFrame)
    let decayEnd = min(startFrame + attackFrames + decayFrames, noteOffFrame)
    if frame < attackEnd {
      return EnvelopeSegment(
        from: startFrame, to: attackEnd, origin: startFrame, c0: 0, c1: 1, inverseLength: 1 / Float(attackFrames))
    }
    if frame < decayEnd {
      let origin = startFrame + attackFrames
      return EnvelopeSegment(
        from: attackEnd, to: decayEnd, origin: origin, c0: 1, c1: -(1 - sustainLevel),
        inverseLength: 1 / Float(decayFrames))
    }
    if frame < noteOffFrame {
      return EnvelopeSegment(
        from: decayEnd, to: noteOffFrame, origin: decayEnd, c0: sustainLevel, c1: 0, inverseLength: 0)
    }
    return EnvelopeSegment(
      from: noteOffFrame, to: noteOffFrame + releaseFrames, origin: noteOffFrame, c0: levelAtNoteOff,
      c1: -levelAtNoteOff, inverseLength: releaseFrames > 0 ? 1 / Float(releaseFrames) : 0)
  }

  /// The envelope at absolute frame `frame` (0 outside the voice).
  func envelope(at frame: Int64) -> Float {
    guard frame >= startFrame, frame < noteOffFrame + releaseFrames else { return 0 }
    return envelopeSegment(at: frame).level(at: frame)
  }

  /// The level the envelope has reached at `frame` if no note-off came first (used for `levelAtNoteOff`).
  static func levelBeforeNoteOff(
    offset k: Int64, attackFrames: Int64, decayFrames: Int64, sustainLevel: Float
  ) -> Float {
    if k < attackFrames { return 0 + 1 * (Float(Int32(truncatingIfNeeded: k)) * (1 / Float(attackFrames))) }
    let d = k - attackFrames
    if d < decayFrames {
      return 1 + -(1 - sustainLevel) * (Float(Int32(truncatingIfNeeded: d)) * (1 / Float(decayFrames)))
    }
    return sustainLevel
  }
}
