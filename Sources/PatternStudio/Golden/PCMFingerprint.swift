import Crypto
import Foundation
import PatternAudioIO
import PatternLanguage

/// What a render's PCM looks like, in enough detail to say where it changed: the SHA-256 of the whole PCM
/// exactly as written, and fast 64-bit digests, peak and RMS per segment (bars, sections) and per 1,024-frame
/// block. The segment digests locate changes; they are not meant to resist tampering (the SHA-256 is).
public struct PCMFingerprint: Sendable, Equatable {
  /// `pcm-s16-48000-2:sha256:…`
  public var label: String
  public var frames: Int64
  public var peakDecibels: Double
  public var rmsDecibels: Double
  public var segments: [[SegmentDigest]]
  /// One digest per `PCMHasher.blockFrames` frames.
  public var blocks: [UInt64]
}

/// Digest, peak and RMS of a frame range.
public struct SegmentDigest: Sendable, Equatable {
  public var start: Int64
  public var frames: Int64
  public var digest: UInt64
  public var peakDecibels: Double
  public var rmsDecibels: Double
}

/// Feeds quantised chunks, in order, into the fingerprint.
public struct PCMHasher {
  /// Frames per block digest.
  public static let blockFrames: Int64 = 1024

  private var sha = SHA256()
  private let prefix: String
  private let channels: Int64
  private let scale: Double
  private var frame: Int64 = 0
  private var peak = 0.0
  private var sumSquares = 0.0
  private var blocks: [UInt64] = []
  private var block = StreamDigest()
  /// Per family (bars, sections): the segment boundaries and running digests.
  private var families: [[Segment]]
  private var cursors: [Int]
  private var packed: [UInt8] = []
  /// Only the SHA-256 label is wanted (`finishLabel`): no block or segment digests, no levels.
  private let labelOnly: Bool

  private struct Segment {
    var start: Int64
    var end: Int64
    var digest = StreamDigest()
    var peak = 0.0
    var sumSquares = 0.0
  }

  /// - Parameter segments: per family, sorted non-overlapping frame ranges (start, end); frames outside every
  ///   range of a family are not part of it.
  ///   - labelOnly: Hash for `finishLabel` only (the server's per-render label): skips the per-sample digests
  ///     and levels, a third of the hashing's cost.
  public init(
    encoding: SampleEncoding, sampleRate: Int, channels: Int = 2, segments: [[(Int64, Int64)]] = [],
    labelOnly: Bool = false
  ) {
    self.labelOnly = labelOnly
    let kind = encoding == .pcm16 ? "s16" : encoding == .pcm24 ? "s24" : "f32"
    prefix = "pcm-\(kind)-\(sampleRate)-\(channels)"
    self.channels = Int64(channels)
    scale = encoding == .pcm16 ? 1.0 / 32_768 : encoding == .pcm24 ? 1.0 / 8_388_608 : 1
    precondition(segments.count <= 2, "at most two segment families")
    families = segments.map { $0.map { Segment(start: $0.0, end: $0.1) } }
    cursors = Array(repeating: 0, count: segments.count)
  }

  /// Adds the next chunk (interleaved).
  public mutating func add(_ chunk: PCMChunk) {
    switch chunk {
    case .int16(let b):
      sha.update(bufferPointer: UnsafeRawBufferPointer(b))  // little-endian hosts: the bytes as written
      consume(b, { Int32($0) }, { Double($0) })
    case .int24(let b):
      // 3 bytes little-endian per sample, as in the file.
      packed.removeAll(keepingCapacity: true)
      packed.reserveCapacity(b.count * 3)
      for v in b {
        let s = UInt32(bitPattern: v >> 8)
        packed.append(UInt8(truncatingIfNeeded: s))
        packed.append(UInt8(truncatingIfNeeded: s >> 8))
        packed.append(UInt8(truncatingIfNeeded: s >> 16))
      }
      packed.withUnsafeBytes { sha.update(bufferPointer: $0) }
      consume(b, { $0 >> 8 }, { Double($0 >> 8) })
    case .float32(let b):
      sha.update(bufferPointer: UnsafeRawBufferPointer(b))
      consume(b, { Int32(bitPattern: $0.bitPattern) }, { Double($0) })
    }
  }

  /// The label of what was added (`pcm-s16-48000-2:sha256:…`), the same as `finish().label`.
  public mutating func finishLabel() -> String { "\(prefix):sha256:\(Hex.string(sha.finalize()))" }

  /// Walks the chunk in runs that stay inside one block and one segment of each family, so the inner loop
  /// only updates independent running digests and sums (no per-sample bookkeeping).
  @inline(__always)
  private mutating func consume<T>(
    _ b: UnsafeBufferPointer<T>, _ bits: (T) -> Int32, _ level: (T) -> Double
  ) {
    guard !labelOnly else { return }
    let ch = Int(channels)
    let chunkEnd = frame + Int64(b.count / ch)
    var i = 0
    while frame < chunkEnd {
      var runEnd = min(chunkEnd, (frame / PCMHasher.blockFrames + 1) * PCMHasher.blockFrames)
      // Per family (at most two): the segment index the run is inside, or nil between segments.
      var inside: (Int?, Int?) = (nil, nil)
      for k in families.indices {
        while cursors[k] < families[k].count && families[k][cursors[k]].end <= frame { cursors[k] += 1 }
        guard cursors[k] < families[k].count else { continue }
        let seg = families[k][cursors[k]]
        if seg.start <= frame {
          if k == 0 { inside.0 = cursors[k] } else { inside.1 = cursors[k] }
          runEnd = min(runEnd, seg.end)
        } else {
          runEnd = min(runEnd, seg.start)
        }
      }
      let n = Int(runEnd - frame) * ch
      var blockState = block.state
      var d0 = inside.0.map { families[0][$0].digest.state } ?? 0
      var d1 = inside.1.map { families[1][$0].digest.state } ?? 0
      var runPeak = 0.0
      var runSum = 0.0
      for j in i..<(i + n) {
        let x = UInt64(UInt32(bitPattern: bits(b[j])))
        blockState = (blockState ^ x) &* StreamDigest.prime
        d0 = (d0 ^ x) &* StreamDigest.prime
        d1 = (d1 ^ x) &* StreamDigest.prime
        let v = level(b[j])
        runPeak = max(runPeak, abs(v))
        runSum += v * v
      }
      runPeak *= scale
      runSum *= scale * scale
      block.state = blockState
      func store(_ k: Int, _ s: Int?, _ d: UInt64) {
        guard let s else { return }
        families[k][s].digest.state = d
        families[k][s].peak = max(families[k][s].peak, runPeak)
        families[k][s].sumSquares += runSum
      }
      store(0, inside.0, d0)
      store(1, inside.1, d1)
      peak = max(peak, runPeak)
      sumSquares += runSum
      i += n
      frame = runEnd
      if frame % PCMHasher.blockFrames == 0 {
        blocks.append(block.value)
        block = StreamDigest()
      }
    }
  }

  public mutating func finish() -> PCMFingerprint {
    if frame % PCMHasher.blockFrames != 0 { blocks.append(block.value) }
    let hex = Hex.string(sha.finalize())
    let samples = Double(max(1, frame * channels))
    let segments = families.map { family in
      family.map { s -> SegmentDigest in
        let n = Double(max(1, min(s.end, frame) - s.start) * channels)
        return SegmentDigest(
          start: s.start, frames: max(0, min(s.end, frame) - s.start), digest: s.digest.value,
          peakDecibels: Decibels.rounded(amplitude: s.peak),
          rmsDecibels: Decibels.rounded(amplitude: (s.sumSquares / n).squareRoot()))
      }
    }
    return PCMFingerprint(
      label: "\(prefix):sha256:\(hex)", frames: frame, peakDecibels: Decibels.rounded(amplitude: peak),
      rmsDecibels: Decibels.rounded(amplitude: (sumSquares / samples).squareRoot()), segments: segments, blocks: blocks)
  }
}

/// FNV-style running digest over 32-bit samples, finished with SplitMix64's mixer: a change of any sample
/// changes the digest (each step is a bijection of the state for a given input).
struct StreamDigest {
  static let prime: UInt64 = 0x0000_0100_0000_01b3
  var state: UInt64 = 0xcbf2_9ce4_8422_2325
  var value: UInt64 { StreamKey.mix(state) }
}
