import Synchronization

/// A sampler's zones. A JSON instrument's note plays the first zone that covers it; a layered bank (SF2,
/// SFZ) plays every zone that covers it, as FluidSynth and sfizz do (velocity layers that overlap, stereo
/// pairs, release samples, round robins).
package final class SamplerBank: Hashable, Sendable {
  package let layered: Bool
  private let state: Mutex<Result<[SampleZone], any Error>?>
  private let resolve: (@Sendable () throws -> [SampleZone])?

  package init(zones: [SampleZone], layered: Bool = false) {
    self.layered = layered
    state = Mutex(.success(zones))
    resolve = nil
  }

  /// A bank whose zones are worked out on first use (a SoundFont preset: a font offers hundreds, a song plays
  /// a few). A failure is kept and thrown by `load()` every time.
  package init(layered: Bool, resolve: @escaping @Sendable () throws -> [SampleZone]) {
    self.layered = layered
    state = Mutex(nil)
    self.resolve = resolve
  }

  /// The zones, resolved once; throws what resolving threw.
  package func load() throws -> [SampleZone] {
    try state.withLock { state in
      if state == nil { state = Result { try resolve?() ?? [] } }
      return try state!.get()
    }
  }

  /// The zones for the engine, which only plays banks the facade has loaded (`load()`) without error.
  package var zones: [SampleZone] { (try? load()) ?? [] }
  package static func == (a: SamplerBank, b: SamplerBank) -> Bool { a === b }
  package func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

  /// The zones a note-on (or, with `release`, a note-off) sounds. `counters` holds each zone's round-robin
  /// count (how many notes it has covered so far); `draw` is the note's seeded random number in 0 ..< 1.
  func zonesToPlay(note: Int, velocity: Double, release: Bool, draw: Double, counters: inout [Int]) -> [Int] {
    let zones = self.zones
    guard layered else {
      if release { return [] }
      let index =
        zones.firstIndex { $0.covers(key: note, velocity: velocity) } ?? zones.firstIndex { $0.keys.contains(note) }
      return index.map { [$0] } ?? []
    }
    var chosen: [Int] = []
    for (i, z) in zones.enumerated() where z.releaseTrigger == release && z.covers(key: note, velocity: velocity) {
      // Round robin counts every note the zone covers, sounding or not (sfizz's rule).
      let count = counters[i]
      counters[i] += 1
      guard count % max(1, z.sequenceLength) == z.sequencePosition - 1 else { continue }
      guard z.randomRange.contains(draw) else { continue }
      chosen.append(i)
    }
    return chosen
  }

  /// The zones ready to play at `rate`: buffers converted (via `convert`, once per buffer) and every loop made
  /// seamless at its final position: the frames before the loop end are blended towards those before the loop
  /// start, so the wrap continues the waveform (rounding the loop points to the new rate cannot click).
  package func prepared(for rate: Int, _ convert: (SampleBuffer, Int) -> SampleBuffer) -> SamplerBank {
    var cache: [ObjectIdentifier: SampleBuffer] = [:]
    let zones = self.zones
    return SamplerBank(
      zones: zones.map { z in
        var z = z
        if z.nativeRate { return z }
        let ratio = Double(rate) / Double(z.buffer.sampleRate)
        let key = ObjectIdentifier(z.buffer)
        let converted = cache[key] ?? convert(z.buffer, rate)
        cache[key] = converted
        z.buffer = converted
        let scale = { (x: Int) in Int((Double(x) * ratio).rounded()) }
        if let range = z.playRange {
          let end = min(converted.count, scale(range.upperBound))
          z.playRange = min(scale(range.lowerBound), end)..<end
        }
        guard let loop = z.loop else { return z }
        let start = scale(loop.lowerBound)
        let end = min(converted.count, scale(loop.upperBound))
        guard start < end else {
          z.loop = nil
          return z
        }
        z.loop = start..<end
        let n = min(scale(z.crossfadeFrames), start, end - start)
        z.crossfadeFrames = 0
        guard n > 0 else { return z }
        var frames = converted.frames
        for i in 0..<n {
          let w = Float(i + 1) / Float(n + 1)
          frames[end - n + i] = frames[end - n + i] * (1 - w) + frames[start - n + i] * w
        }
        z.buffer = SampleBuffer(frames: frames, sampleRate: rate)
        return z
      }, layered: layered)
  }

  /// Whether every zone is ready for `rate` (`prepared(for:)` was applied).
  package func isPrepared(for rate: Int) -> Bool {
    let zones = self.zones
    return zones.allSatisfy {
      $0.nativeRate || ($0.buffer.sampleRate == rate && ($0.loop == nil || $0.crossfadeFrames == 0))
    }
  }
}
