/// Seeded white noise through a resonant low-pass tuned to the note, under the ADSR.
enum NoiseVoice {
  static func render(
    voice: ScheduledVoice, state: inout VoiceState, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>
  ) {
    for i in 0..<count {
      let f = frame + Int64(i)
      let n = NoiseHash.uniform(key: voice.seed, index: f - voice.startFrame)
      out[i] = state.filterA.process(n).low * voice.amplitude
    }
    voice.applyEnvelope(out, frame: frame, count: count)
  }
}
