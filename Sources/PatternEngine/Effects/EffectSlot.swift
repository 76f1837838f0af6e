/// One effect in a chain with its wet share: `mix` < 1 keeps a copy of the input (delayed by the effect's
/// latency, so dry and wet stay aligned) and blends dry·(1 − mix) + wet·mix.
final class EffectSlot {
  let effect: any MixEffect
  let mix: Float
  /// Moving parameters (index into the spec's values) and a moving `mix=`; `values` holds every parameter's
  /// current value, retuned at grid points (`AutomationCurve.grid` frames of the song).
  private let automations: [(index: Int, curve: AutomationCurve)]
  private let mixCurve: AutomationCurve?
  private var values: [Double]
  /// Song frames by which this slot's input lags the song (the latency of everything before it), and frames
  /// processed so far: input frame i is song frame `position + i − offset`.
  var offset = 0
  var position: Int64 = 0
  /// How long it may ring after its input stops (`EffectFactory.tailFrames`: automation's extremes included).
  var tail: Int64 = 0
  private let mixBuffer: UnsafeMutablePointer<Float>?
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

  init(
    effect: any MixEffect, mix: Double, keyTrack: Int?, tileFrames: Int, values: [Double] = [],
    automations: [(index: Int, curve: AutomationCurve)] = []
  ) {
    self.effect = effect
    self.values = values
    self.automations = automations.filter { $0.index >= 0 }
    mixCurve = automations.first { $0.index < 0 }?.curve
    mixBuffer = mixCurve == nil ? nil : .zeroed(tileFrames)
    // A moving mix keeps a dry copy even where it starts at 1.
    self.mix = mixCurve == nil ? Float(mix) : 0.5
    self.keyTrack = keyTrack
    dryLeft = .allocate(capacity: tileFrames)
    dryRight = .allocate(capacity: tileFrames)
    dryDelay = effect.latency > 0 && self.mix < 1 ? StereoDelay(frames: effect.latency) : nil
    self.tileFrames = tileFrames
  }

  /// Without automation, a dry share or a key: `process` is then `effect.process` on the whole block (which
  /// `processPair` relies on).
  var isPlain: Bool { automations.isEmpty && mixCurve == nil && mix >= 1 && keyTrack == nil }

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
    mixBuffer?.deallocate()
  }

  /// Processes `count` frames; with moving parameters, in pieces that end on grid points, retuning the effect at
  /// each grid point to the values there (a piece that starts between grid points keeps the values of the grid
  /// point before it, so every split of the frames sets the same values at the same frames).
  func process(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?
  ) {
    defer { position += Int64(count) }
    guard !automations.isEmpty || mixCurve != nil else {
      processPiece(left: left, right: right, count: count, key: key, mixFrom: nil)
      return
    }
    let grid = AutomationCurve.grid
    var done = 0
    while done < count {
      let song = position + Int64(done) - Int64(offset)
      let cellStart = song < 0 ? 0 : song / grid * grid
      let pieceEnd = song < 0 ? 0 : cellStart + grid
      let n = min(count - done, Int(pieceEnd - song))
      if !automations.isEmpty {
        var changed = false
        for (i, curve) in automations {
          let v = curve.value(atFrame: cellStart)
          if v != values[i] {
            values[i] = v
            changed = true
          }
        }
        if changed { effect.retune(values) }
      }
      // The blend happens at the output, which lags the input by the effect's latency.
      if let mixCurve, let mixBuffer {
        mixCurve.fill(mixBuffer + done, from: song - Int64(effect.latency), count: n)
      }
      processPiece(
        left: left + done, right: right + done, count: n,
        key: key.map { StereoSignal(left: $0.left + done, right: $0.right + done) },
        mixFrom: mixBuffer.map { $0 + done })
      done += n
    }
  }

  private func processPiece(
    left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>, count: Int, key: StereoSignal?,
    mixFrom moving: UnsafeMutablePointer<Float>?
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
    if let moving {
      for n in 0..<count {
        let wet = moving[n]
        left[n] = dryLeft[n] * (1 - wet) + left[n] * wet
        right[n] = dryRight[n] * (1 - wet) + right[n] * wet
      }
      return
    }
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
