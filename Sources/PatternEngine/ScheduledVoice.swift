/// One note as the engine plays it: everything in frames and per-sample units, computed once when the
/// score is scheduled. A plain value; the render loop only reads it.
struct ScheduledVoice: Sendable {
  enum Kind: Sendable {
    case oscillator(Waveform)
    case noise
    case drum(DrumSound)
    case pluck
    case piano
    case grand
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
  /// Envelope in frames: delay (silence), attack (linear rise), hold (full level), decay (exponential fall to
  /// the sustain level), release (exponential fall to silence). Every voice kind uses it.
  var delayFrames: Int64 = 0
  var attackFrames: Int64
  var holdFrames: Int64 = 0
  var decayFrames: Int64
  var sustainLevel: Float
  var releaseFrames: Int64
  /// The shape of the decay and the release (see `FallCurve`).
  var decayCurve = FallCurve.standard
  var releaseCurve = FallCurve.standard
  /// The envelope's level at note-off, from the closed form, so the release starts where the note was.
  var levelAtNoteOff: Float
  /// Noise stream key.
  var seed: UInt64
  /// Low-pass cutoff (Hz) and Q for noise voices.
  var cutoffHz: Double
  var q: Double
  var velocity: Float
  /// Where `sample` is kept (read and set it through `sample`).
  var sampleBox: SampleBox? = nil
  /// Oscillators and filter of a synth voice (nil for every other kind).
  var synth: SynthPlayback? = nil
  /// The note's own filter, glide, bend and rate (nil: the instrument's sound as it is).
  var control: NoteControl? = nil
  /// Pan the voice adds to the note's (a kit hit's place, a sampler zone's), −1 … 1.
  var pan: Double = 0
  /// Choke: this voice cuts earlier voices of its instrument whose `chokedBy` equals its `chokeGroup` (0: none).
  var chokeGroup = 0
  var chokedBy = 0
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

  /// A piece that holds no frame: where a voice's current piece is still to be looked up.
  static let unset = EnvelopeSegment(from: 0, to: 0, origin: 0, c0: 0, c1: 0, inverseLength: 0)

  @inline(__always)
  func level(at frame: Int64) -> Float {
    c0 + c1 * (Float(Int32(truncatingIfNeeded: frame - origin)) * inverseLength)
  }
}

extension ScheduledVoice {
  /// The envelope piece that covers `frame` (which must lie in `startFrame ..< endFrame`).
  func envelopeSegment(at frame: Int64) -> EnvelopeSegment {
    if frame < noteOffFrame { return heldSegment(at: frame, until: noteOffFrame) }
    // Release: `releaseCurve` from the level at note-off down to silence.
    guard releaseFrames > 0 else {
      return EnvelopeSegment(from: noteOffFrame, to: .max, origin: noteOffFrame, c0: 0, c1: 0, inverseLength: 0)
    }
    let piece = releaseCurve.piece(at: frame - noteOffFrame, length: releaseFrames)
    let a = levelAtNoteOff * releaseCurve.level(piece.first, base: 0, span: 1, target: 0)
    let b = levelAtNoteOff * releaseCurve.level(piece.last, base: 0, span: 1, target: 0)
    let from = noteOffFrame + piece.from
    return EnvelopeSegment(
      from: from, to: noteOffFrame + piece.to, origin: from, c0: a, c1: b - a,
      inverseLength: 1 / Float(piece.to - piece.from))
  }

  /// The piece of the envelope before note-off that covers `frame`, cut at `until`.
  private func heldSegment(at frame: Int64, until off: Int64) -> EnvelopeSegment {
    let delayEnd = startFrame + delayFrames
    let attackEnd = delayEnd + attackFrames
    let holdEnd = attackEnd + holdFrames
    let decayEnd = holdEnd + decayFrames
    if frame < delayEnd {
      return EnvelopeSegment(
        from: startFrame, to: min(delayEnd, off), origin: startFrame, c0: 0, c1: 0, inverseLength: 0)
    }
    if frame < attackEnd {
      return EnvelopeSegment(
        from: delayEnd, to: min(attackEnd, off), origin: delayEnd, c0: 0, c1: 1, inverseLength: 1 / Float(attackFrames))
    }
    if frame < holdEnd {
      return EnvelopeSegment(from: attackEnd, to: min(holdEnd, off), origin: attackEnd, c0: 1, c1: 0, inverseLength: 0)
    }
    if frame < decayEnd {
      let piece = decayCurve.piece(at: frame - holdEnd, length: decayFrames)
      let (base, span) = decayCurve.decibelLinear ? (Float(0), Float(1)) : (sustainLevel, 1 - sustainLevel)
      let a = decayCurve.level(piece.first, base: base, span: span, target: sustainLevel)
      let b = decayCurve.level(piece.last, base: base, span: span, target: sustainLevel)
      let from = holdEnd + piece.from
      return EnvelopeSegment(
        from: from, to: min(holdEnd + piece.to, off), origin: from, c0: a, c1: b - a,
        inverseLength: 1 / Float(piece.to - piece.from))
    }
    return EnvelopeSegment(from: decayEnd, to: off, origin: decayEnd, c0: sustainLevel, c1: 0, inverseLength: 0)
  }

  /// The envelope at absolute frame `frame` (0 outside the voice).
  func envelope(at frame: Int64) -> Float {
    guard frame >= startFrame, frame < noteOffFrame + releaseFrames else { return 0 }
    return envelopeSegment(at: frame).level(at: frame)
  }

  /// The level the envelope reaches at `frame` if no note-off comes first (what `levelAtNoteOff` holds).
  func levelIfHeld(at frame: Int64) -> Float {
    guard frame > startFrame else { return 0 }
    return heldSegment(at: frame, until: .max).level(at: frame)
  }

  /// Multiplies `count` frames of `out`, which start at `frame`, by the envelope, one segment at a time.
  func applyEnvelope(_ out: UnsafeMutablePointer<Float>, frame: Int64, count: Int) {
    var f = frame
    let end = frame + Int64(count)
    while f < end {
      let seg = envelopeSegment(at: f)
      let pieceEnd = min(end, seg.to)
      // Eight frames at a time, each lane `seg.level(at:)`'s operations on its own frame (the offset wraps to 32
      // bits the same way): the same levels, a fifth of a grand note's time before.
      let (c0, c1, inverse) = (SIMD8(repeating: seg.c0), SIMD8(repeating: seg.c1), SIMD8(repeating: seg.inverseLength))
      while pieceEnd - f >= 8 {
        let o = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: f - seg.origin)) &+ OscillatorKernel.laneIndexInt
        // Lane by lane: the compiler joins these into one conversion (the SIMD initializer was an outlined call).
        let x = SIMD8<Float>(
          Float(o[0]), Float(o[1]), Float(o[2]), Float(o[3]), Float(o[4]), Float(o[5]), Float(o[6]), Float(o[7]))
        let level = c0 + c1 * (x * inverse)
        let p = UnsafeMutableRawPointer(out + Int(f - frame))
        p.storeBytes(of: p.loadUnaligned(as: SIMD8<Float>.self) * level, as: SIMD8<Float>.self)
        f += 8
      }
      while f < pieceEnd {
        out[Int(f - frame)] *= seg.level(at: f)
        f += 1
      }
    }
  }
}

extension ScheduledVoice {
  /// The sample a sampler voice plays (nil for every other kind). Held by reference: inline it was 264 of a
  /// voice's 504 bytes, copied with every voice of every kind into the track lists and the lanes (W2's
  /// schedule wrote ~4 MB of fresh pages).
  var sample: SamplePlayback? {
    get { sampleBox?.playback }
    set { sampleBox = newValue.map(SampleBox.init) }
  }
}
