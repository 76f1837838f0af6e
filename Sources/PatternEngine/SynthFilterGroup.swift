/// Up to eight filtered synth notes of one block, their filters run side by side.
///
/// Why: a synth voice's resonant filter is a recurrence (each sample needs the previous one's state), so one
/// voice at a time runs at the latency of its ~20-cycle chain and leaves the core's vector units idle. Notes
/// sounding together are independent chains: here each is one lane of an 8-wide vector. Every lane does the
/// arithmetic `StateVariableFilter.process` does, in the same order (lane-wise float operations are the same
/// IEEE operations), and is retuned on its own note's 32-frame grid, so each note's samples are bit for bit
/// those of `SynthVoice.render`; the lane renderer still adds the notes in their sum order.
enum SynthFilterGroup {
  /// Notes per group: one AVX register of floats.
  static let width = 8

  /// One note of the group: the voice, its slot (whose state carries the filter from block to block), the
  /// frames it renders in this block and where its samples go (`to − from` floats).
  struct Member {
    var voice: UnsafePointer<ScheduledVoice>
    var slot: Int
    var from: Int64
    var to: Int64
    var out: UnsafeMutablePointer<Float>
  }

  /// Renders every member's frames into its `out`: oscillators, the filters side by side, the envelope.
  /// `states` are the lane's voice states by slot; `scratch` holds `width × controlFrames` floats.
  static func render(
    _ members: UnsafeBufferPointer<Member>, states: UnsafeMutablePointer<VoiceState>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    for m in members {
      SynthVoice.oscillatorSum(voice: m.voice.pointee, frame: m.from, count: Int(m.to - m.from), out: m.out)
    }
    filter(members, states: states, scratch: scratch)
    for m in members {
      SynthVoice.envelope(voice: m.voice.pointee, frame: m.from, count: Int(m.to - m.from), out: m.out)
    }
  }

  /// The members' filters over their frames, in place, in stretches in which no member starts, ends or is
  /// retuned (at most one control period): each stretch is gathered into `scratch` (frame-major, one lane per
  /// member), filtered eight lanes at a time, and scattered back.
  private static func filter(
    _ members: UnsafeBufferPointer<Member>, states: UnsafeMutablePointer<VoiceState>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let control = SynthVoice.controlFrames
    var (a1, a2, a3) = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
    var (ic1, ic2) = (SIMD8<Float>(), SIMD8<Float>())
    var (t, end) = (Int64.max, Int64.min)
    for m in members { (t, end) = (min(t, m.from), max(end, m.to)) }
    // Lanes without a member (or not sounding yet, or done) filter zeros from zero: their results are never
    // read, and stay zero (no subnormals).
    scratch.initialize(repeating: 0, count: width * Int(control))
    while t < end {
      // At most one control period (the stretch buffer's length), even where no member sounds.
      var next = min(end, t + control)
      for (j, m) in members.enumerated() {
        if t == m.to {
          store(lane: j, ic1, ic2, into: states + m.slot)
          (ic1[j], ic2[j]) = (0, 0)
          for i in 0..<Int(control) { scratch[i &* width &+ j] = 0 }
        }
        guard m.from <= t && t < m.to else {
          if t < m.from { next = min(next, m.from) }
          continue
        }
        let k = t - m.voice.pointee.startFrame
        let state = states + m.slot
        if t == m.from {
          (ic1[j], ic2[j]) = (state.pointee.filterA.ic1, state.pointee.filterA.ic2)
          (a1[j], a2[j], a3[j]) = (state.pointee.filterA.a1, state.pointee.filterA.a2, state.pointee.filterA.a3)
        }
        if k % control == 0, let p = m.voice.pointee.synth, let f = p.filter {
          SynthVoice.retuneFilter(m.voice.pointee, p, f, k, &state.pointee)
          (a1[j], a2[j], a3[j]) = (state.pointee.filterA.a1, state.pointee.filterA.a2, state.pointee.filterA.a3)
        }
        next = min(next, m.to, t + control - k % control)
      }
      let count = Int(next - t)
      for (j, m) in members.enumerated() where m.from <= t && t < m.to {
        let source = m.out + Int(t - m.from)
        for i in 0..<count { scratch[i &* width &+ j] = source[i] }
      }
      let rows = UnsafeMutableRawPointer(scratch)
      let row = width * MemoryLayout<Float>.stride
      for i in 0..<count {
        let v0 = rows.loadUnaligned(fromByteOffset: i &* row, as: SIMD8<Float>.self)
        // StateVariableFilter.process, lane-wise.
        let v3 = v0 - ic2
        let v1 = a1 * ic1 + a2 * v3
        let v2 = ic2 + a2 * ic1 + a3 * v3
        ic1 = 2 * v1 - ic1
        ic2 = 2 * v2 - ic2
        rows.storeBytes(of: v2, toByteOffset: i &* row, as: SIMD8<Float>.self)
      }
      for (j, m) in members.enumerated() where m.from <= t && t < m.to {
        let target = m.out + Int(t - m.from)
        for i in 0..<count { target[i] = scratch[i &* width &+ j] }
      }
      t = next
    }
    for (j, m) in members.enumerated() where m.to == end { store(lane: j, ic1, ic2, into: states + m.slot) }
  }

  /// Lane `j`'s filter state back into its voice's state (its coefficients are there already).
  @inline(__always)
  private static func store(
    lane j: Int, _ ic1: SIMD8<Float>, _ ic2: SIMD8<Float>, into state: UnsafeMutablePointer<VoiceState>
  ) {
    state.pointee.filterA.ic1 = ic1[j]
    state.pointee.filterA.ic2 = ic2[j]
  }
}
