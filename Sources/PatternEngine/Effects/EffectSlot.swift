/// One effect in a chain with its wet share: `mix` < 1 keeps a copy of the input (delayed by the effect's
/// latency, so dry and wet stay aligned) and blends dry·(1 − mix) + wet·mix.
final class EffectSlot {
  let effect: any MixEffect
  let mix: Float
  /// The track whose dry signal keys this effect (a compressor's `key=`), if any.
  let keyTrack: Int?
  private let dryLeft: UnsafeMutablePointer<Float>
  private let dryRight: UnsafeMutablePointer<Float>
  private var dryDelay: StereoDelay?

  init(effect: any MixEffect, mix: Double, keyTrack: Int?, tileFrames: Int) {
    self.effect = effect
    self.mix = Float(mix)
    self.keyTrack = keyTrack
    dryLeft = .allocate(capacity: tileFrames)
    dryRight = .allocate(capacity: tileFrames)
    dryDelay = effect.latency > 0 && mix < 1 ? StereoDelay(frames: effect.latency) : nil
  }

  deinit {
    dryLeft.deallocate()
    dryRight.deallocate()
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    if mix >= 1 {
      effect.process(left: left, right: right, count: count, key: key)
      return
    }
    dryLeft.update(from: left, count: count)
    dryRight.update(from: right, count: count)
    dryDelay?.process(left: dryLeft, right: dryRight, count: count)
    effect.process(left: left, right: right, count: count, key: key)
    let wet = mix
    let dry = 1 - mix
    for n in 0..<count {
      left[n] = dryLeft[n] * dry + left[n] * wet
      right[n] = dryRight[n] * dry + right[n] * wet
    }
  }
}

/// A stereo delay of a whole number of frames: latency compensation for paths with less latency than others.
struct StereoDelay {
  private var left: [Float]
  private var right: [Float]
  private var index = 0

  init(frames: Int) {
    left = [Float](repeating: 0, count: frames)
    right = [Float](repeating: 0, count: frames)
  }

  mutating func process(left l: UnsafeMutablePointer<Float>, right r: UnsafeMutablePointer<Float>, count: Int) {
    guard !left.isEmpty else { return }
    let n = left.count
    left.withUnsafeMutableBufferPointer { lb in
      right.withUnsafeMutableBufferPointer { rb in
        var i = index
        for f in 0..<count {
          let a = lb[i]
          let b = rb[i]
          lb[i] = l[f]
          rb[i] = r[f]
          l[f] = a
          r[f] = b
          i = i + 1 == n ? 0 : i + 1
        }
        index = i
      }
    }
  }
}
