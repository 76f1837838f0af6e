/// The mutable part of a playing voice (filters, string state), held in a preallocated slot of its lane.
/// Stateless oscillator voices do not use it.
struct VoiceState: Sendable {
  var filterA = StateVariableFilter()
  /// The filter envelope's last offset in octaves (NaN: none yet) and 2 to that power (`SynthVoice.retuneFilter`).
  var filterOctaves = Double.nan
  var filterRatio = 1.0
  /// Karplus–Strong: position in the slot's delay line, its length, and the tuning all-pass.
  var writeIndex = 0
  var delayLength = 0
  var allpassCoefficient: Float = 0
  var allpassIn: Float = 0
  var allpassOut: Float = 0
  var previous: Float = 0
  var loopGain: Float = 1
  /// Sampler: the unfolded 32.32 read position and its increment per frame; where the voice left a
  /// sustain loop at note-off; the volume LFO's ramp.
  var samplePosition: UInt64 = 0
  var sampleIncrement: UInt64 = 0
  var leftLoop = false
  var loopExit: UInt64 = 0
  var loopExitFrom: UInt64 = 0
  var volumeLevel: Float = 1
  var volumeStep: Float = 0
  /// Cymbal square-wave phase increments.
  var metallic = SIMD8<UInt32>()
  /// A synth note whose pitch moves: each oscillator's phase and its increment now (up to 4 oscillators).
  var phases = SIMD4<UInt32>()
  var increments = SIMD4<UInt32>()
}
