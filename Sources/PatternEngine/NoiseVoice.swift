/// Seeded white noise through a resonant low-pass tuned to the note, under the ADSR. A note's own moving
/// `cutoff=`/`res=` retune the filter every `SynthVoice.controlFrames` frames from the note's start.
enum NoiseVoice {
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>
  ) {
    let control = voice.control
    for i in 0..<count {
      let f = frame + Int64(i)
      let k = f - voice.startFrame
      if let control, k % SynthVoice.controlFrames == 0, k > 0 {
        let fresh = StateVariableFilter(
          cutoffHz: control.cutoffHz(k) ?? voice.cutoffHz, q: control.q(k) ?? voice.q,
          sampleRate: Double(control.tempo.sampleRate))
        state.filterA.a1 = fresh.a1
        state.filterA.a2 = fresh.a2
        state.filterA.a3 = fresh.a3
        state.filterA.k = fresh.k
      }
      let n = NoiseHash.uniform(key: voice.seed, index: k)
      out[i] = state.filterA.process(n).low * voice.amplitude
    }
    voice.applyEnvelope(out, frame: frame, count: count)
  }
}
