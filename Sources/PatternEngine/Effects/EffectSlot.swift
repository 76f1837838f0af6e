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
  /// A keyed effect later in a path than its key: the key delayed to line up (see `delayKey`).
  private var keyDelay: StereoDelay?
  private var keyLeft: UnsafeMutablePointer<Float>?
  private var keyRight: UnsafeMutablePointer<Float>?
  private let tileFrames: Int

  init(effect: any MixEffect, mix: Double, keyTrack: Int?, tileFrames: Int) {
    self.effect = effect
    self.mix = Float(mix)
    self.keyTrack = keyTrack
    dryLeft = .allocate(capacity: tileFrames)
    dryRight = .allocate(capacity: tileFrames)
    dryDelay = effect.latency > 0 && mix < 1 ? StereoDelay(frames: effect.latency) : nil
    self.tileFrames = tileFrames
  }

  /// The key (a track's raw notes) reaches this effect `frames` earlier than its own input, which has been
  /// through earlier effects' latency and the graph's alignment: delay it by that much.
  func delayKey(frames: Int) {
    guard frames > 0, keyTrack != nil else { return }
    keyDelay = StereoDelay(frames: frames)
    keyLeft = .zeroed(tileFrames)
    keyRight = .zeroed(tileFrames)
  }

  deinit {
    dryLeft.deallocate()
    dryRight.deallocate()
    keyLeft?.deallocate()
    keyRight?.deallocate()
  }

  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    var key = key
    if let given = key, keyDelay != nil, let kl = keyLeft, let kr = keyRight {
      kl.update(from: given.left, count: count)
      kr.update(from: given.right, count: count)
      keyDelay!.process(left: kl, right: kr, count: count)
      key = StereoSignal(left: kl, right: kr)
    }
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
