/// One zone of a sampler: which notes and velocities it covers and how it plays its sample. JSON instrument
/// files, SoundFont 2 presets and SFZ programs all produce these, so every front end plays through one voice.
package struct SampleZone: Sendable {
  package var keys: ClosedRange<Int>
  /// Velocity 0 … 1 range (layers).
  package var velocities: ClosedRange<Double>
  /// MIDI velocity range 1 … 127 (SF2, SFZ); when set, it decides instead of `velocities`, on the note's
  /// velocity rounded to MIDI's 127 steps.
  package var midiVelocities: ClosedRange<Int>? = nil
  /// The MIDI note the sample sounds at when played at its own rate.
  package var root: Int
  /// Fine tune in cents (added to the played note).
  package var tuneCents: Double
  /// Semitones the pitch moves per key (1 = normal; SF2 `scaleTuning`, SFZ `pitch_keytrack`, / 100).
  package var keyTrack: Double = 1
  /// Linear gain.
  package var gain: Double
  /// Linear gain by MIDI velocity 0 … 127 (128 entries; nil: amplitude ∝ velocity, the library's curve).
  package var velocityGain: [Float]? = nil
  /// Place in the stereo field, −1 … 1, added to the note's pan (an SF2 zone's pan generator, SFZ `pan`).
  package var pan: Double = 0
  package var buffer: SampleBuffer
  /// Frames of the buffer played, `[start, end)` (nil: all of it). `start` is where a note begins.
  package var playRange: Range<Int>? = nil
  /// Loop `[start, end)` in buffer frames, nil for one-shot.
  package var loop: Range<Int>?
  /// Alternate direction at the loop ends instead of jumping back (`"mode": "pingpong"`).
  package var pingPong = false
  /// Loop only until note-off, then play on to the sample's end (SF2 sample mode 3, SFZ `loop_sustain`).
  package var loopUntilRelease = false
  /// Play to the end whatever the note's length (SFZ `one_shot`).
  package var oneShot = false
  /// Release after note-off, seconds (used when `envelope` is nil).
  package var releaseSeconds: Double
  /// The zone's own volume envelope (SF2, SFZ); nil: the instrument's ADSR with `releaseSeconds`.
  package var envelope: SamplerEnvelope? = nil
  /// A resonant low-pass, its modulation envelope and LFOs (nil: none).
  package var filter: SamplerFilter? = nil
  package var modulation: SamplerModulation? = nil
  /// Choke: a note of this zone cuts sounding voices of the same instrument whose `chokedBy` equals
  /// `chokeGroup` (SF2 exclusive class: both are the class; SFZ: `group` and `off_by`). 0: none.
  package var chokeGroup = 0
  package var chokedBy = 0
  /// Sounds at note-off instead of note-on (SFZ `trigger=release`), quieter by `releaseDecayDbPerSecond` ×
  /// the note's length (`rt_decay`).
  package var releaseTrigger = false
  package var releaseDecayDbPerSecond = 0.0
  /// Round robin: the zone sounds on notes `position`, `position + length`, … of its key (1-based; SFZ
  /// `seq_length`, `seq_position`), counted per instrument in the song's order.
  package var sequenceLength = 1
  package var sequencePosition = 1
  /// Random layer: the zone sounds when the note's seeded draw in 0 ..< 1 falls in this range (`lorand`, `hirand`).
  package var randomRange: Range<Double> = 0..<1
  /// Play the buffer at its own rate, the rate ratio folded into the read increment (SF2, SFZ), instead of
  /// converting it to the render rate first: a converted loop's length rounds to whole frames, which moves
  /// the pitch of a short (single-cycle) loop by several cents.
  package var nativeRate = false
  /// Frames (at the buffer's rate) blended across the loop point when the zone is prepared for a render rate.
  package var crossfadeFrames: Int

  package init(
    keys: ClosedRange<Int>, velocities: ClosedRange<Double>, root: Int, tuneCents: Double, gain: Double,
    buffer: SampleBuffer, loop: Range<Int>?, releaseSeconds: Double, crossfadeFrames: Int = 256
  ) {
    self.crossfadeFrames = crossfadeFrames
    self.keys = keys
    self.velocities = velocities
    self.root = root
    self.tuneCents = tuneCents
    self.gain = gain
    self.buffer = buffer
    self.loop = loop
    self.releaseSeconds = releaseSeconds
  }

  /// Whether the zone plays a note of MIDI `key` at velocity `velocity` (0 … 1).
  func covers(key: Int, velocity: Double) -> Bool {
    guard keys.contains(key) else { return false }
    if let range = midiVelocities { return range.contains(SampleZone.midiVelocity(velocity)) }
    return velocities.contains(velocity)
  }

  /// A velocity 0 … 1 as MIDI's 1 … 127.
  static func midiVelocity(_ velocity: Double) -> Int { max(1, min(127, Int((velocity * 127).rounded()))) }
}
