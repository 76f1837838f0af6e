/// One oscillator of a synth patch.
package struct SynthOscillator: Hashable, Sendable {
  package var wave: Waveform
  /// Detune in cents (±1200), plus whole octaves.
  package var detuneCents: Double
  package var octave: Int
  /// Level in the mix, 0 … 1.
  package var mix: Double
  package init(wave: Waveform, detuneCents: Double = 0, octave: Int = 0, mix: Double = 1) {
    self.wave = wave
    self.detuneCents = detuneCents
    self.octave = octave
    self.mix = mix
  }
}

/// A resonant low-pass with its own envelope: cutoff = base × 2^(keyTracking × (note − 60)/12) ×
/// 2^(envelopeOctaves × envelope level), updated every 32 frames.
package struct SynthFilter: Hashable, Sendable {
  package var cutoffHz: Double
  package var resonance: Double
  package var envelopeOctaves: Double
  package var keyTracking: Double
  package var envelope: ADSR
  package init(cutoffHz: Double, resonance: Double, envelopeOctaves: Double, keyTracking: Double, envelope: ADSR) {
    self.cutoffHz = cutoffHz
    self.resonance = resonance
    self.envelopeOctaves = envelopeOctaves
    self.keyTracking = keyTracking
    self.envelope = envelope
  }
}

/// Oscillators summed, then an optional filter: the `synth` kind of instrument files.
package final class SynthDefinition: Hashable, Sendable {
  package let oscillators: [SynthOscillator]
  package let filter: SynthFilter?
  package init(oscillators: [SynthOscillator], filter: SynthFilter?) {
    self.oscillators = oscillators
    self.filter = filter
  }
  package static func == (a: SynthDefinition, b: SynthDefinition) -> Bool {
    a.oscillators == b.oscillators && a.filter == b.filter
  }
  package func hash(into h: inout Hasher) { h.combine(oscillators) }
}

/// Per-note constants of a synth voice, computed when the score is scheduled.
final class SynthPlayback: Sendable {
  let waves: [Waveform]
  let increments: [UInt32]
  let mix: [Float]
  let filter: SynthFilter?
  /// The filter's base cutoff for this note, Hz (key tracking applied).
  let cutoffHz: Double
  let sampleRate: Double
  /// Filter envelope in frames.
  let attack: Int64, decay: Int64, release: Int64
  let sustain: Double
  /// The note's own settings (cutoff, res, fenv, glide, bend), if any.
  let control: NoteControl?
  /// Whether the phases run from accumulators (the pitch moves) rather than from the frame.
  let movesPitch: Bool

  /// - Parameters: `control` the note's own settings; `envelope` the filter's envelope when the note adds a
  ///   filter to a definition without one (the instrument's amplitude envelope).
  init(
    definition: SynthDefinition, midi: Double, sampleRate: Double, control: NoteControl? = nil,
    envelope: ADSR? = nil
  ) {
    waves = definition.oscillators.map(\.wave)
    increments = definition.oscillators.map {
      let hz = DSPMath.frequencyHz(midi: midi + Double($0.octave * 12) + $0.detuneCents / 100)
      return UInt32(truncatingIfNeeded: Int64((hz / sampleRate * 4_294_967_296.0).rounded()))
    }
    mix = definition.oscillators.map { Float($0.mix) }
    self.control = control
    movesPitch = control?.movesPitch ?? false
    var f = definition.filter
    if f == nil, let control, control.wantsFilter {
      // A note's filter on a voice without one: 2 kHz unless it says, no key tracking.
      f = SynthFilter(
        cutoffHz: 2000, resonance: 0.707, envelopeOctaves: 0, keyTracking: 0,
        envelope: envelope ?? ADSR(attackSeconds: 0, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0))
    }
    if let octaves = control?.filterEnvelopeOctaves { f?.envelopeOctaves = octaves }
    filter = f
    cutoffHz = (f?.cutoffHz ?? 1000) * DSPMath.exp2Double((f?.keyTracking ?? 0) * (midi - 60) / 12)
    self.sampleRate = sampleRate
    let frames = { (s: Double) in Int64((s * sampleRate).rounded()) }
    attack = frames(f?.envelope.attackSeconds ?? 0)
    decay = frames(f?.envelope.decaySeconds ?? 0)
    release = max(1, frames(f?.envelope.releaseSeconds ?? 0))
    sustain = f?.envelope.sustainLevel ?? 1
  }

  /// The filter envelope's level `k` frames after the start, with note-off at `off` frames.
  func envelope(_ k: Int64, off: Int64) -> Double {
    func held(_ k: Int64) -> Double {
      if k < attack { return Double(k) / Double(max(1, attack)) }
      if k < attack + decay { return 1 - (1 - sustain) * Double(k - attack) / Double(max(1, decay)) }
      return sustain
    }
    if k < off { return held(k) }
    let atOff = held(off)
    return max(0, atOff * (1 - Double(k - off) / Double(release)))
  }
}

enum SynthVoice {
  static let controlFrames: Int64 = 32

  /// Renders `count` frames from `frame` into `out` (mono, amplitude envelope applied). The filter's state
  /// runs in time order; its cutoff is recomputed on a fixed grid of 32 frames from the note's start, so the
  /// output does not depend on how rendering is split into blocks.
  static func render(
    voice v: ScheduledVoice, state: inout VoiceState, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>
  ) {
    guard let p = v.synth else { return }
    if p.movesPitch {
      renderMoving(voice: v, p, state: &state, frame: frame, count: count, out: out)
      return
    }
    if p.filter == nil {
      // No recurrence: the oscillators eight frames at a time, then the envelope (the same operations).
      oscillatorSum(voice: v, frame: frame, count: count, out: out)
      envelope(voice: v, frame: frame, count: count, out: out)
      return
    }
    withBandLimits(p.increments.count, { p.increments[$0] }) { limits in
      forEachFrame(v, from: frame, count: count) { f, written, seg in
        let k = f - v.startFrame
        if let filter = p.filter, k % controlFrames == 0 { retuneFilter(v, p, filter, k, &state) }
        var x: Float = 0
        for i in p.increments.indices {
          let phase = UInt32(truncatingIfNeeded: k) &* p.increments[i]
          x += p.mix[i] * OscillatorKernel.sample(p.waves[i], phase: phase, limits[i])
        }
        out[written] = finish(x, v, p, &state, f, seg)
      }
    }
  }

  /// Whether `v` can render in a `SynthFilterGroup`: a filtered synth note whose pitch does not move.
  static func filtersAtFixedPitch(_ v: ScheduledVoice) -> Bool {
    guard let p = v.synth else { return false }
    return p.filter != nil && !p.movesPitch
  }

  /// `render`'s first step for a note whose pitch does not move: the oscillators' sum of each frame, unfiltered
  /// and without the envelope (the same sums `render` filters).
  static func oscillatorSum(voice v: ScheduledVoice, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>) {
    guard let p = v.synth else { return }
    out.update(repeating: 0, count: count)
    let k0 = UInt32(truncatingIfNeeded: frame - v.startFrame)
    // Oscillator by oscillator, eight frames at a time (`sample8` is `sample` lane by lane): each frame's sum
    // still starts from 0 and adds the oscillators in their order, as `render` does.
    for i in p.increments.indices {
      let (increment, mix) = (p.increments[i], p.mix[i])
      // The waveform chosen once per oscillator, not per eight frames: each loop is specialised for its shape
      // (through the generic `sample8` dispatch it called an out-of-line conversion per group of eight).
      switch p.waves[i] {
      case .sine: addOscillator(SineShape.self, increment: increment, mix: mix, k0: k0, count: count, out: out)
      case .saw: addOscillator(SawShape.self, increment: increment, mix: mix, k0: k0, count: count, out: out)
      case .square: addOscillator(SquareShape.self, increment: increment, mix: mix, k0: k0, count: count, out: out)
      case .triangle:
        addOscillator(TriangleShape.self, increment: increment, mix: mix, k0: k0, count: count, out: out)
      }
    }
  }

  /// Adds `mix` × one oscillator (`increment` per frame, `k0` frames from the note's start) into `count` frames
  /// of `out`: `sample8` eight frames at a time, then `sample` (the same operations per frame).
  @inline(__always)
  private static func addOscillator<Shape: WaveShape>(
    _ shape: Shape.Type, increment: UInt32, mix: Float, k0: UInt32, count: Int, out: UnsafeMutablePointer<Float>
  ) {
    let limits = OscillatorKernel.BandLimit(increment: increment)
    var phase = SIMD8<UInt32>(repeating: k0 &* increment) &+ OscillatorKernel.laneIndex &* increment
    let step = SIMD8<UInt32>(repeating: increment &* 8)
    var j = 0
    while j + 8 <= count {
      let x = UnsafeMutableRawPointer(out + j)
      let sum = x.loadUnaligned(as: SIMD8<Float>.self) + mix * Shape.sample8(phase, limits)
      x.storeBytes(of: sum, as: SIMD8<Float>.self)
      phase &+= step
      j += 8
    }
    while j < count {
      out[j] += mix * Shape.sample((k0 &+ UInt32(truncatingIfNeeded: j)) &* increment, limits)
      j += 1
    }
  }

  /// `render`'s last step: each filtered frame times the amplitude envelope and the amplitude, in place.
  static func envelope(voice v: ScheduledVoice, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>) {
    var f = frame
    var written = 0
    let amplitude = SIMD8(repeating: v.amplitude)
    while written < count {
      let seg = v.envelopeSegment(at: f)
      let pieceEnd = min(frame + Int64(count), seg.to)
      // Eight frames at a time, each lane the scalar step's operations on its own frame (the same bits).
      let (c0, c1, inverse) = (SIMD8(repeating: seg.c0), SIMD8(repeating: seg.c1), SIMD8(repeating: seg.inverseLength))
      while pieceEnd - f >= 8 {
        let o = f - seg.origin
        let x = SIMD8<Float>(
          Float(o), Float(o + 1), Float(o + 2), Float(o + 3), Float(o + 4), Float(o + 5), Float(o + 6), Float(o + 7))
        let p = UnsafeMutableRawPointer(out + written)
        p.storeBytes(
          of: p.loadUnaligned(as: SIMD8<Float>.self) * (c0 + c1 * (x * inverse)) * amplitude, as: SIMD8<Float>.self)
        f += 8
        written += 8
      }
      while f < pieceEnd {
        out[written] = out[written] * (seg.c0 + seg.c1 * (Float(f - seg.origin) * seg.inverseLength)) * v.amplitude
        f += 1
        written += 1
      }
    }
  }

  /// Calls `body` with the band-limit constants of `count` oscillators' increments, on the stack (no
  /// allocation per block).
  @inline(__always)
  static func withBandLimits(
    _ count: Int, _ increment: (Int) -> UInt32, _ body: (UnsafeMutableBufferPointer<OscillatorKernel.BandLimit>) -> Void
  ) {
    withUnsafeTemporaryAllocation(of: OscillatorKernel.BandLimit.self, capacity: max(count, 1)) { limits in
      for i in 0..<count { limits.initializeElement(at: i, to: .init(increment: increment(i))) }
      body(limits)
    }
  }

  /// Calls `body(f, written, segment)` for each frame `f` of `[frame, frame + count)`, in order: `written` is its
  /// index in the block, `segment` the envelope piece that holds it.
  @inline(__always)
  static func forEachFrame(
    _ v: ScheduledVoice, from frame: Int64, count: Int, _ body: (Int64, Int, EnvelopeSegment) -> Void
  ) {
    var f = frame
    var written = 0
    while written < count {
      let seg = v.envelopeSegment(at: f)
      let pieceEnd = min(frame + Int64(count), seg.to)
      while f < pieceEnd {
        body(f, written, seg)
        f += 1
        written += 1
      }
    }
  }

  /// One frame's oscillator sum `x` through the filter (if any) and the envelope, at frame `f` of `seg`.
  @inline(__always)
  private static func finish(
    _ x: Float, _ v: ScheduledVoice, _ p: SynthPlayback, _ state: inout VoiceState, _ f: Int64, _ seg: EnvelopeSegment
  ) -> Float {
    let filtered = p.filter != nil ? state.filterA.process(x).low : x
    return filtered * (seg.c0 + seg.c1 * (Float(f - seg.origin) * seg.inverseLength)) * v.amplitude
  }

  /// The filter's coefficients for the grid point `k` frames after the start: the note's cutoff (or the
  /// instrument's) raised by the filter envelope, the note's Q (or the instrument's).
  @inline(__always)
  static func retuneFilter(
    _ v: ScheduledVoice, _ p: SynthPlayback, _ filter: SynthFilter, _ k: Int64, _ state: inout VoiceState
  ) {
    let env = p.envelope(k, off: v.noteOffFrame - v.startFrame)
    let base = p.control?.cutoffHz(k) ?? p.cutoffHz
    // 2^octaves again only when the envelope moved (not while it sustains): the same input, the same ratio.
    let octaves = filter.envelopeOctaves * env
    if octaves.bitPattern != state.filterOctaves.bitPattern {
      state.filterOctaves = octaves
      state.filterRatio = DSPMath.exp2Double(octaves)
    }
    let cutoff = base * state.filterRatio
    state.filterA.retune(cutoffHz: cutoff, q: p.control?.q(k) ?? filter.resonance, sampleRate: p.sampleRate)
  }

  /// `render` for a note whose pitch moves (glide, bend): each oscillator's phase accumulates an increment set
  /// on the control grid (the note's increment × the pitch ratio there). With a ratio of 1 throughout this is
  /// the same phase as the stateless `k × increment` (both are sums modulo 2^32).
  private static func renderMoving(
    voice v: ScheduledVoice, _ p: SynthPlayback, state: inout VoiceState, frame: Int64, count: Int,
    out: UnsafeMutablePointer<Float>
  ) {
    let control = p.control!
    let oscillators = p.increments.count
    // The band-limit constants of each oscillator's current increment.
    withBandLimits(oscillators, { state.increments[$0] }) { limits in
      forEachFrame(v, from: frame, count: count) { f, written, seg in
        let k = f - v.startFrame
        if k % controlFrames == 0 {
          let ratio = control.pitchRatio(k)
          for i in 0..<oscillators {
            let moved = Double(p.increments[i]) * ratio
            state.increments[i] = UInt32(truncatingIfNeeded: Int64(min(moved, 2_147_483_647).rounded()))
            limits[i] = .init(increment: state.increments[i])
          }
          if let filter = p.filter { retuneFilter(v, p, filter, k, &state) }
        }
        var x: Float = 0
        for i in 0..<oscillators {
          let increment = state.increments[i]
          x += p.mix[i] * OscillatorKernel.sample(p.waves[i], phase: state.phases[i], limits[i])
          state.phases[i] &+= increment
        }
        out[written] = finish(x, v, p, &state, f, seg)
      }
    }
  }
}
