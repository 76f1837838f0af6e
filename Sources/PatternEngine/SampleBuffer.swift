import Synchronization

/// Mono sample frames at a known rate, shared by every voice that plays them (never copied). Frames may be
/// given, or decoded on first use by `loader` (so listing or checking songs never decodes sample files).
package final class SampleBuffer: Sendable {
  package let sampleRate: Int
  /// Frames in the buffer (known before decoding).
  package let count: Int
  /// The file it comes from, if any (what an export's up-to-date key covers).
  package let origin: String?
  private let state: Mutex<Result<[Float], any Error>?>
  private let loader: (@Sendable () throws -> [Float])?

  package init(frames: [Float], sampleRate: Int, origin: String? = nil) {
    self.sampleRate = sampleRate
    self.origin = origin
    count = frames.count
    state = Mutex(.success(frames))
    loader = nil
  }

  package init(
    sampleRate: Int, count: Int, origin: String? = nil, loader: @escaping @Sendable () throws -> [Float]
  ) {
    self.sampleRate = sampleRate
    self.origin = origin
    self.count = count
    state = Mutex(nil)
    self.loader = loader
  }

  /// The frames, decoded once on first use; a file that cannot be decoded throws (every time).
  package func load() throws -> [Float] {
    try state.withLock { state in
      if state == nil { state = Result { try loader?() ?? [] } }
      return try state!.get()
    }
  }

  /// The frames for the engine, which only plays buffers the facade has loaded (`load()`) without error.
  package var frames: [Float] { (try? load()) ?? [] }
}

/// One zone of a sampler: which notes and velocities it covers and how it plays its sample.
package struct SampleZone: Sendable {
  package var keys: ClosedRange<Int>
  /// Velocity 0 … 1 range (layers).
  package var velocities: ClosedRange<Double>
  /// The MIDI note the sample sounds at when played at its own rate.
  package var root: Int
  /// Fine tune in cents (added to the played note).
  package var tuneCents: Double
  /// Linear gain.
  package var gain: Double
  package var buffer: SampleBuffer
  /// Loop `[start, end)` in buffer frames, nil for one-shot.
  package var loop: Range<Int>?
  /// Alternate direction at the loop ends instead of jumping back (`"mode": "pingpong"`).
  package var pingPong = false
  /// Release after note-off, seconds.
  package var releaseSeconds: Double
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
}

/// A sampler's zones; the first zone that covers a note and velocity plays it.
package final class SamplerBank: Hashable, Sendable {
  package let zones: [SampleZone]
  package init(zones: [SampleZone]) { self.zones = zones }
  package static func == (a: SamplerBank, b: SamplerBank) -> Bool { a === b }
  package func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }

  package func zone(note: Int, velocity: Double) -> SampleZone? {
    zones.first { $0.keys.contains(note) && $0.velocities.contains(velocity) }
      ?? zones.first { $0.keys.contains(note) }
  }

  /// The zones ready to play at `rate`: buffers converted (via `convert`, once per buffer) and every loop made
  /// seamless at its final position: the frames before the loop end are blended towards those before the loop
  /// start, so the wrap continues the waveform (rounding the loop points to the new rate cannot click).
  package func prepared(for rate: Int, _ convert: (SampleBuffer, Int) -> SampleBuffer) -> SamplerBank {
    var cache: [ObjectIdentifier: SampleBuffer] = [:]
    return SamplerBank(
      zones: zones.map { z in
        var z = z
        let ratio = Double(rate) / Double(z.buffer.sampleRate)
        let key = ObjectIdentifier(z.buffer)
        let converted = cache[key] ?? convert(z.buffer, rate)
        cache[key] = converted
        z.buffer = converted
        guard let loop = z.loop else { return z }
        let start = Int((Double(loop.lowerBound) * ratio).rounded())
        let end = min(converted.frames.count, Int((Double(loop.upperBound) * ratio).rounded()))
        let n = min(Int((Double(z.crossfadeFrames) * ratio).rounded()), start, end - start)
        var frames = converted.frames
        for i in 0..<max(0, n) {
          let w = Float(i + 1) / Float(n + 1)
          frames[end - n + i] = frames[end - n + i] * (1 - w) + frames[start - n + i] * w
        }
        z.buffer = SampleBuffer(frames: frames, sampleRate: rate)
        z.loop = start..<end
        z.crossfadeFrames = 0
        return z
      })
  }

  /// Whether every zone is ready for `rate` (`prepared(for:)` was applied).
  package func isPrepared(for rate: Int) -> Bool {
    zones.allSatisfy { $0.buffer.sampleRate == rate && ($0.loop == nil || $0.crossfadeFrames == 0) }
  }
}

/// How a scheduled sampler voice reads its buffer: a 32.32 fixed-point position `k · increment` for output
/// frame `k` (exact, so every block size gives the same samples), folded into the loop once past its end.
struct SamplePlayback: Sendable {
  var buffer: SampleBuffer
  var increment: UInt64
  /// Loop bounds in 32.32 fixed point (loopEnd == 0: one-shot).
  var loopStart: UInt64
  var loopEnd: UInt64
  var pingPong = false
}

enum SamplerVoice {
  /// Renders `count` frames of `voice` from `frame` into `out` (mono, envelope and amplitude applied).
  /// Four-point, third-order Hermite interpolation; indices outside a one-shot sample read as silence.
  static func render(voice v: ScheduledVoice, frame: Int64, count: Int, out: UnsafeMutablePointer<Float>) {
    guard let p = v.sample else { return }
    p.buffer.frames.withUnsafeBufferPointer { data in
      let n = data.count
      let loopLength = p.loopEnd &- p.loopStart
      @inline(__always) func at(_ i: Int) -> Float {
        var j = i
        if loopLength > 0, UInt64(max(0, j)) << 32 >= p.loopEnd {
          let start = Int(p.loopStart >> 32)
          let length = Int(loopLength >> 32)
          j = start + (j - start) % max(1, length)
        }
        return j >= 0 && j < n ? data[j] : 0
      }
      var f = frame
      var written = 0
      while written < count {
        let seg = v.envelopeSegment(at: f)
        let pieceEnd = min(frame + Int64(count), seg.to)
        while f < pieceEnd {
          var pos = UInt64(f - v.startFrame) &* p.increment
          if loopLength > 0 && pos >= p.loopEnd {
            if p.pingPong {
              // Forward, then backward, then forward…: fold into one period of 2 × length.
              let t = (pos - p.loopStart) % (2 * loopLength)
              pos = t < loopLength ? p.loopStart + t : p.loopEnd - (t - loopLength)
            } else {
              pos = p.loopStart + (pos - p.loopStart) % loopLength
            }
          }
          let i = Int(pos >> 32)
          let t = Float(pos & 0xFFFF_FFFF) * 0x1p-32
          let xm1 = at(i - 1)
          let x0 = at(i)
          let x1 = at(i + 1)
          let x2 = at(i + 2)
          // Catmull-Rom / Hermite: c0 + t(c1 + t(c2 + t c3)).
          let c1 = 0.5 * (x1 - xm1)
          let c2 = xm1 - 2.5 * x0 + 2 * x1 - 0.5 * x2
          let c3 = 0.5 * (x2 - xm1) + 1.5 * (x0 - x1)
          let sample = x0 + t * (c1 + t * (c2 + t * c3))
          let level = seg.c0 + seg.c1 * (Float(f - seg.origin) * seg.inverseLength)
          out[written] = sample * level * v.amplitude
          f += 1
          written += 1
        }
      }
    }
  }
}
