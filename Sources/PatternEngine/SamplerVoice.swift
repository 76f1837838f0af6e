/// How a scheduled sampler voice reads its buffer: a 32.32 fixed-point position that starts at `start` and
/// moves by `increment` per output frame (exact integer sums, so every block size gives the same samples),
/// folded into the loop once past its end.
struct SamplePlayback: Sendable {
  /// The zone's frames, taken from its `SampleBuffer` when the note is scheduled (so the render loop never
  /// takes the buffer's lock); empty when only the song's limits are checked.
  var frames: [Float]
  var increment: UInt64
  /// First position played (32.32).
  var start: UInt64 = 0
  /// Frames at or past `end` read as silence.
  var end: Int
  /// Loop bounds in 32.32 fixed point (loopEnd == 0: one-shot).
  var loopStart: UInt64
  var loopEnd: UInt64
  var pingPong = false
  /// Leave the loop at note-off and play on to the end.
  var loopUntilRelease = false
  /// Pitch, filter and volume movement (nil: none, the pitch is fixed).
  var modulation: SamplerModulationPlayback? = nil
}

/// A sampler voice's modulation in frames, evaluated on a grid of `SamplerVoice.controlFrames` counted from
/// the note's start (never from a block).
struct SamplerModulationPlayback: Sendable {
  var envelope: ControlEnvelope
  var envelopeToPitchCents: Double
  var envelopeToFilterCents: Double
  var vibrato: ControlLFO
  var lfo: ControlLFO
  /// The filter's cutoff before modulation (velocity and key included), Hz; nil: no filter.
  var cutoffHz: Double?
  var q: Double
  var sampleRate: Double
  var movesPitch: Bool
  /// The note's own cutoff, res, glide, bend and rate (nil: none).
  var control: NoteControl? = nil
}

/// A linear delay–attack–hold–decay–sustain–release envelope in frames (the SF2 modulation envelope).
struct ControlEnvelope: Sendable {
  var delay: Int64, attack: Int64, hold: Int64, decay: Int64, release: Int64
  var sustain: Double

  /// The level `k` frames after the start with note-off at `off`.
  func level(_ k: Int64, off: Int64) -> Double {
    func held(_ k: Int64) -> Double {
      var k = k - delay
      if k < 0 { return 0 }
      if k < attack { return Double(k) / Double(attack) }
      k -= attack + hold
      if k < 0 { return 1 }
      if k < decay { return 1 - (1 - sustain) * Double(k) / Double(decay) }
      return sustain
    }
    guard k >= off else { return held(k) }
    let r = k - off
    return r >= release ? 0 : held(off) * (1 - Double(r) / Double(release))
  }
}

/// A triangle or sine LFO after a delay: 0 at its start, +1 a quarter period later.
struct ControlLFO: Sendable {
  var sine: Bool
  var delay: Int64
  /// Phase increment per frame (2^32 = one cycle).
  var increment: UInt32
  var toPitchCents: Double
  var toFilterCents: Double
  var toVolumeDecibels: Double

  func value(_ k: Int64) -> Double {
    guard k >= delay, increment != 0 else { return 0 }
    let cycle = UInt32(truncatingIfNeeded: k - delay) &* increment
    if sine { return Double(DSPMath.sine(phase: cycle)) }
    let phase = Double(cycle) * 0x1p-32
    if phase < 0.25 { return 4 * phase }
    if phase < 0.75 { return 2 - 4 * phase }
    return 4 * phase - 4
  }
}

enum SamplerVoice {
  static let controlFrames: Int64 = 32

  /// Renders `count` frames of `voice` from `frame` into `out` (mono, envelope and amplitude applied).
  /// Four-point, third-order Hermite interpolation; indices outside the played range read as silence.
  /// The position, filter and modulation run in time order in `state` (set up by `LaneRenderer.activate`).
  static func render(
    voice v: ScheduledVoice, state s: inout VoiceState, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>
  ) {
    guard let box = v.sampleBox else { return }
    let p = box.playback
    // Read once: binding the optional modulation in the loop copied it (and its references) every frame.
    let modulation = p.modulation
    let (modulated, filtered) = (box.modulated, box.filtered)
    p.frames.withUnsafeBufferPointer { data in
      let n = min(data.count, p.end)
      let loopLength = p.loopEnd &- p.loopStart
      for i in 0..<count {
        let f = frame + Int64(i)
        let k = f - v.startFrame
        if modulated, k % controlFrames == 0 {
          // Passed in place (binding it with `if let` copied it, and its references, every control period).
          control(modulation!, voice: v, k: k, base: p.increment, state: &s)
        }
        let u = s.samplePosition
        s.samplePosition &+= s.sampleIncrement
        var pos = u
        var looping = loopLength > 0
        if looping && p.loopUntilRelease && f >= v.noteOffFrame {
          if !s.leftLoop {
            s.leftLoop = true
            // Where the loop had the position at note-off (before the loop's end it is the position itself).
            s.loopExit = u >= p.loopEnd ? fold(u, p, loopLength) : u
            s.loopExitFrom = u
          }
          pos = s.loopExit &+ (u &- s.loopExitFrom)
          looping = false
        } else if looping && u >= p.loopEnd {
          pos = fold(u, p, loopLength)
        }
        let index = Int(pos >> 32)
        @inline(__always) func at(_ i: Int) -> Float {
          var j = i
          if looping, UInt64(max(0, j)) << 32 >= p.loopEnd {
            let start = Int(p.loopStart >> 32)
            j = start + (j - start) % max(1, Int(loopLength >> 32))
          }
          return j >= 0 && j < n ? data[j] : 0
        }
        let t = Float(pos & 0xFFFF_FFFF) * 0x1p-32
        let xm1: Float
        let x0: Float
        let x1: Float
        let x2: Float
        if index >= 1 && index + 2 < n && (!looping || UInt64(index + 2) << 32 < p.loopEnd) {
          // All four points inside the played range and before the loop's end: what `at` reads, unchecked.
          (xm1, x0, x1, x2) = (data[index - 1], data[index], data[index + 1], data[index + 2])
        } else {
          (xm1, x0, x1, x2) = (at(index - 1), at(index), at(index + 1), at(index + 2))
        }
        // Catmull-Rom / Hermite: c0 + t(c1 + t(c2 + t c3)).
        let c1 = 0.5 * (x1 - xm1)
        let c2 = xm1 - 2.5 * x0 + 2 * x1 - 0.5 * x2
        let c3 = 0.5 * (x2 - xm1) + 1.5 * (x0 - x1)
        var sample = x0 + t * (c1 + t * (c2 + t * c3))
        if modulated {
          if filtered { sample = s.filterA.process(sample).low }
          sample *= s.volumeLevel
          s.volumeLevel += s.volumeStep
        }
        out[i] = sample * v.amplitude
      }
    }
    v.applyEnvelope(out, frame: frame, count: count)
  }

  /// A position past the loop's end folded back into it (forward loops wrap, ping-pong loops reflect).
  @inline(__always)
  static func fold(_ pos: UInt64, _ p: SamplePlayback, _ loopLength: UInt64) -> UInt64 {
    if p.pingPong {
      // Forward, then backward, then forward…: fold into one period of 2 × length.
      let t = (pos - p.loopStart) % (2 * loopLength)
      return t < loopLength ? p.loopStart + t : p.loopEnd - (t - loopLength)
    }
    return p.loopStart + (pos - p.loopStart) % loopLength
  }

  /// Sets the increment, the filter and the volume ramp for the next `controlFrames` frames from the
  /// modulation's closed forms at frame offset `k`.
  static func control(
    _ m: SamplerModulationPlayback, voice v: ScheduledVoice, k: Int64, base: UInt64, state s: inout VoiceState
  ) {
    let off = v.noteOffFrame - v.startFrame
    let env = m.envelope.level(k, off: off)
    if m.movesPitch {
      let cents =
        env * m.envelopeToPitchCents + m.vibrato.value(k) * m.vibrato.toPitchCents + m.lfo.value(k)
        * m.lfo.toPitchCents + (m.control?.semitones(k) ?? 0) * 100
      // Saturating: modulation sums can reach tens of thousands of cents (16 octaves up at most).
      let moved = Double(base) * DSPMath.exp2Double(max(-19_200, min(19_200, cents)) / 1200)
      s.sampleIncrement = UInt64(min(moved, 0x1p62).rounded())
    }
    if let cutoff = m.cutoffHz {
      let cents = env * m.envelopeToFilterCents + m.lfo.value(k) * m.lfo.toFilterCents
      s.filterA.retune(
        cutoffHz: (m.control?.cutoffHz(k) ?? cutoff) * DSPMath.exp2Double(cents / 1200), q: m.control?.q(k) ?? m.q,
        sampleRate: m.sampleRate)
    }
    if m.lfo.toVolumeDecibels != 0 {
      // A straight ramp to the next grid point's gain, so the tremolo never steps.
      let now = DSPMath.gain(decibels: m.lfo.value(k) * m.lfo.toVolumeDecibels)
      let next = DSPMath.gain(decibels: m.lfo.value(k + controlFrames) * m.lfo.toVolumeDecibels)
      s.volumeLevel = Float(now)
      s.volumeStep = Float((next - now) / Double(controlFrames))
    }
  }
}
