import CSampleRate
import PatternEngine
import PatternLanguage
import Synchronization

/// Converts sampler buffers to the render rate with libsamplerate's best sinc converter, once per buffer and
/// rate in a process (renders at one rate share the converted banks).
enum SampleConversion {
  private static let cache = Mutex<[String: SamplerBank]>([:])

  /// The patches with the sampler banks of the instruments `used` (ids) prepared for `rate`.
  ///
  /// Every sample they play is decoded here, before the render starts, so a file that turned out broken
  /// (truncated, longer than its header said) is an error naming it — never a silent note.
  /// - Parameter jobs: Threads that may decode the files side by side (the result and the error reported are
  ///   the same with any number).
  static func patches(_ patches: PatchBank, used: Set<InstrumentID>, rate: Int, jobs: Int = 1) throws -> PatchBank {
    let ids = used.sorted()
    // Decoded side by side first (a kit's six hit files were a tenth of W2's set-up, though it plays none of
    // them); the loop below then finds every file decoded and reports the first failure in its own order.
    let buffers = ids.flatMap { id -> [SampleBuffer] in
      guard let patch = patches[id] else { return [] }
      return banks(of: patch).flatMap { bank in (try? bank.load()) == nil ? [] : bank.zones.map(\.buffer) }
    }
    if jobs > 1 && buffers.count > 1 {
      Parallel.forEach(count: buffers.count, jobs: jobs) { _ = try? buffers[$0].load() }
    }
    var out = patches
    for id in ids {
      guard let patch = patches[id] else { continue }
      let banks = banks(of: patch)
      // A lazily resolved bank (a SoundFont preset) that cannot be resolved stops the render, naming why.
      for bank in banks { _ = try bank.load() }
      for zone in banks.flatMap(\.zones) { _ = try zone.buffer.load() }
      if case .sampler(let bank) = patch.kind, !bank.isPrepared(for: rate) {
        out[id]?.kind = .sampler(prepared(bank, rate))
      }
      if let bank = patch.hitSamples, !bank.isPrepared(for: rate) { out[id]?.hitSamples = prepared(bank, rate) }
    }
    return out
  }

  /// A patch's sampler banks: its sampled kit hits, then its zones if it is a sampler.
  private static func banks(of patch: Patch) -> [SamplerBank] {
    var banks: [SamplerBank] = patch.hitSamples.map { [$0] } ?? []
    if case .sampler(let bank) = patch.kind { banks.append(bank) }
    return banks
  }

  private static func prepared(_ bank: SamplerBank, _ rate: Int) -> SamplerBank {
    let key = "\(UInt(bitPattern: ObjectIdentifier(bank).hashValue)):\(rate)"
    if let hit = cache.withLock({ $0[key] }) { return hit }
    let b = bank.prepared(for: rate, convert)
    cache.withLock { $0[key] = b }
    return b
  }

  /// One buffer to `rate` (SRC_SINC_BEST_QUALITY).
  static func convert(_ buffer: SampleBuffer, to rate: Int) -> SampleBuffer {
    if buffer.sampleRate == rate || buffer.frames.isEmpty { return buffer }
    let ratio = Double(rate) / Double(buffer.sampleRate)
    let outCount = Int((Double(buffer.frames.count) * ratio).rounded(.up)) + 16
    var output = [Float](repeating: 0, count: outCount)
    var produced = 0
    buffer.frames.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { out in
        var data = SRC_DATA()
        data.data_in = input.baseAddress
        data.input_frames = Int(input.count)
        data.data_out = out.baseAddress
        data.output_frames = Int(out.count)
        data.src_ratio = ratio
        data.end_of_input = 1
        if pstudio_src_simple(&data, Int32(SRC_SINC_BEST_QUALITY), 1) == 0 { produced = Int(data.output_frames_gen) }
      }
    }
    return SampleBuffer(frames: Array(output.prefix(produced)), sampleRate: rate, origin: buffer.origin)
  }
}
