/// Pre-rendered drum hits: each sound the song uses, in `variants` round-robin versions (different noise
/// streams), rendered by `DrumVoice` once per process (`DrumTableCache`) and then played back as one
/// multiply-add per sample.
///
/// A hit's variant is a hash of its own stream key, so which version plays depends only on the note (never
/// on blocks or threads), and consecutive hits differ the way a sampled kit's round-robin layers do.
/// (Measured: synthesising every hit live was 40 % of a 3,960-note song's CPU time.)
final class DrumTables: Sendable {
  static let variants = 4

  /// `tables[sound][variant]`: the hit at unit amplitude, `DrumVoice.lengthSeconds` long, ending at exactly 0.
  private let tables: [DrumSound: [[Float]]]

  /// The variants of every sound in `sounds` (kept from an earlier render of this process, or rendered).
  /// - Parameters:
  ///   - threads: Threads that may render a kit's variants side by side (never changes the samples).
  ///   - cache: Where kits are kept (tests give one of their own).
  init(
    sounds: Set<DrumSound>, sampleRate: Int, seed: UInt64, threads: Int = 1, cache: DrumTableCache = .shared
  ) {
    var tables: [DrumSound: [[Float]]] = [:]
    for sound in DrumSound.allCases where sounds.contains(sound) {
      let key = DrumTableCache.Key(sound: sound, sampleRate: sampleRate, seed: seed)
      tables[sound] = cache.variants(key) {
        DrumTables.render(
          sound, length: DrumTables.length(of: sound, sampleRate: sampleRate), sampleRate: sampleRate, seed: seed,
          threads: threads)
      }
    }
    self.tables = tables
  }

  /// A hit's length, frames.
  static func length(of sound: DrumSound, sampleRate: Int) -> Int {
    Int((DrumVoice.lengthSeconds(sound) * Double(sampleRate)).rounded())
  }

  /// The variants of `sound` this session plays (for tests).
  func variants(of sound: DrumSound) -> [[Float]]? { tables[sound] }

  /// The variants of one sound, synthesised.
  static func render(_ sound: DrumSound, length: Int, sampleRate: Int, seed: UInt64, threads: Int = 1) -> [[Float]] {
    // The variants are independent (each its own noise stream): with two threads a kit is ready in half the time
    // (W2's kit was a sixth of its render's set-up), the same samples either way.
    let slots = UnsafeMutableBufferPointer<[Float]>.allocate(capacity: variants)
    slots.initialize(repeating: [])
    defer { slots.deinitialize().deallocate() }
    ParallelItems.forEach(variants, threads: threads) { slots[$0] = renderVariant(sound, $0, length, sampleRate, seed) }
    return Array(slots)
  }

  /// One variant of `sound`: `length` frames at unit amplitude.
  private static func renderVariant(
    _ sound: DrumSound, _ variant: Int, _ length: Int, _ sampleRate: Int, _ seed: UInt64
  )
    -> [Float]
  {
    var voice = ScheduledVoice.unitHit(length: Int64(length))
    voice.seed = NoiseHash.key(seed, 0xD2_0D, UInt64(DrumSound.allCases.firstIndex(of: sound)!), UInt64(variant))
    var state = VoiceState()
    DrumVoice.prepare(sound, state: &state, sampleRate: Double(sampleRate))
    // Whole vectors are stored past the end: 8 spare floats, dropped in place (no copy of the hit).
    var samples = [Float](repeating: 0, count: length + 8)
    samples.withUnsafeMutableBufferPointer { out in
      DrumVoice.render(
        sound, voice: voice, state: &state, frame: 0, count: length, sampleRate: Double(sampleRate),
        out: out.baseAddress!)
    }
    samples.removeLast(8)
    return samples
  }

  /// The variant a hit plays, from its stream key.
  static func variant(for seed: UInt64) -> Int { Int(NoiseHash.mix(seed) % UInt64(variants)) }

  /// Adds voice `v`'s hit (`sound`) over frames `[from, to)` into `left`/`right` (which point at `from`). Its
  /// gains already include the amplitude. A choked hit fades out in 16 fixed steps counted from the cut frame
  /// (the same frames whatever the block size).
  func play(
    _ v: ScheduledVoice, _ sound: DrumSound, from: Int64, to: Int64, left: UnsafeMutablePointer<Float>,
    right: UnsafeMutablePointer<Float>, fresh: Bool = false
  ) {
    let variant = DrumTables.variant(for: v.seed)
    var f = from
    while f < to {
      var end = to
      var fade: Float = 1
      if f >= v.chokeFrame {
        let stepLength = max(1, (v.endFrame - v.chokeFrame + 15) / 16)
        let step = (f - v.chokeFrame) / stepLength
        end = min(to, v.chokeFrame + (step + 1) * stepLength)
        fade = 1 - (Float(step) + 0.5) / 16
      } else {
        end = min(to, v.chokeFrame)
      }
      let offset = Int(f - from)
      play(
        sound, variant: variant, offset: Int(f - v.startFrame), count: Int(end - f), gainLeft: v.gainLeft * fade,
        gainRight: v.gainRight * fade, left: left + offset, right: right + offset, fresh: fresh)
      f = end
    }
  }

  /// Adds frames `[offset, offset + count)` of a hit, scaled by the pan gains, into `left`/`right` (`fresh`:
  /// writes them as `Mixer.panAccumulate` does).
  func play(
    _ sound: DrumSound, variant: Int, offset: Int, count: Int, gainLeft: Float, gainRight: Float,
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, fresh: Bool = false
  ) {
    tables[sound]![variant].withUnsafeBufferPointer { t in
      Mixer.panAccumulate(
        t.baseAddress! + offset, count: count, gainLeft: gainLeft, gainRight: gainRight, left: left, right: right,
        fresh: fresh)
    }
  }
}

extension ScheduledVoice {
  /// A unit-amplitude drum hit of `length` frames starting at frame 0 (for rendering tables).
  static func unitHit(length: Int64) -> ScheduledVoice {
    ScheduledVoice(
      kind: .drum(.kick), order: 0, startFrame: 0, noteOffFrame: length, endFrame: length, frequencyHz: 0,
      midiNote: 60, phaseIncrement: 0, amplitude: 1, gainLeft: 1, gainRight: 1, attackFrames: 0, decayFrames: 0,
      sustainLevel: 1, releaseFrames: 1, levelAtNoteOff: 1, seed: 0, cutoffHz: 0, q: 0, velocity: 1)
  }
}
