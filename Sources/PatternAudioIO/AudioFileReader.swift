import CSndFile

/// Reads audio files through libsndfile (any format it knows: WAV, FLAC, AIFF, Ogg …).
public struct AudioFileInfo: Hashable, Sendable {
  public var frames: Int64
  public var sampleRate: Int
  public var channels: Int
  /// libsndfile's major format (`wav`, `flac`, or `other`).
  public var container: String
  /// `16`, `24`, `32f`, or `other`.
  public var encoding: String
  public var tags: AudioTags
  /// The sampler data of a WAV `smpl` (or AIFF `INST`) chunk, through libsndfile: the note the sample sounds
  /// at, and its first loop in frames `[start, end)`; nil when the file has none.
  public var rootKey: Int? = nil
  public var loop: Range<Int>? = nil
}

public enum AudioFileReader {
  /// Format, length and tags of a file.
  public static func info(path: String) throws -> AudioFileInfo {
    try withFile(path) { _, info, tags in info.withTags(tags) }
  }

  /// All frames as interleaved floats (full scale ±1), with the file's info.
  public static func readFloat(path: String) throws -> (info: AudioFileInfo, samples: [Float]) {
    try withFile(path) { h, info, tags in
      var samples = [Float](repeating: 0, count: Int(info.frames) * info.channels)
      let n = samples.withUnsafeMutableBufferPointer { pstudio_sf_readf_float(h, $0.baseAddress, info.frames) }
      guard n == info.frames else {
        throw AudioIOError(.read, path: path, detail: "short read: \(n) of \(info.frames) frames")
      }
      return (info.withTags(tags), samples)
    }
  }

  /// All frames mixed to mono (the mean of the channels), read and mixed piece by piece: memory is one float per
  /// frame, whatever the channel count. A header's length is never trusted for an allocation (an "unknown
  /// length" FLAC, a lying RF64); more than `maxFrames` frames, or fewer than a known header length promises
  /// (a truncated file), is an error.
  public static func readMono(path: String, maxFrames: Int64) throws -> (info: AudioFileInfo, samples: [Float]) {
    try withFile(path) { h, info, tags in
      let channels = max(1, info.channels)
      let piece = 65_536
      var mono: [Float] = []
      if info.frames > 0 && info.frames <= maxFrames { mono.reserveCapacity(Int(info.frames)) }
      var buffer = [Float](repeating: 0, count: piece * channels)
      var total: Int64 = 0
      while true {
        let n = buffer.withUnsafeMutableBufferPointer { pstudio_sf_readf_float(h, $0.baseAddress, Int64(piece)) }
        if n <= 0 { break }
        total += n
        guard total <= maxFrames else {
          throw AudioIOError(.read, path: path, detail: "longer than the limit of \(maxFrames) frames")
        }
        for i in 0..<Int(n) {
          var sum: Float = 0
          for c in 0..<channels { sum += buffer[i * channels + c] }
          mono.append(sum / Float(channels))
        }
      }
      let known = info.frames > 0 && info.frames < Int64.max
      guard !known || total == info.frames else {
        throw AudioIOError(
          .read, path: path, detail: "truncated: \(total) of the \(info.frames) frames its header claims")
      }
      var read = info.withTags(tags)
      read.frames = total
      return (read, mono)
    }
  }

  /// All frames as interleaved 32-bit integers (a 16-bit sample `s` reads as `s << 16`, 24-bit as `s << 8`).
  public static func readInt32(path: String) throws -> (info: AudioFileInfo, samples: [Int32]) {
    try withFile(path) { h, info, tags in
      var samples = [Int32](repeating: 0, count: Int(info.frames) * info.channels)
      let n = samples.withUnsafeMutableBufferPointer { pstudio_sf_readf_int(h, $0.baseAddress, info.frames) }
      guard n == info.frames else {
        throw AudioIOError(.read, path: path, detail: "short read: \(n) of \(info.frames) frames")
      }
      return (info.withTags(tags), samples)
    }
  }

  private static func withFile<T>(
    _ path: String, _ body: (OpaquePointer, AudioFileInfo, AudioTags) throws -> T
  ) throws -> T {
    var sfinfo = SF_INFO()
    guard let h = pstudio_sf_open(path, Int32(SFM_READ), &sfinfo) else {
      throw AudioIOError(.read, path: path, libraryMessage: AudioIOError.sndfileMessage(nil))
    }
    defer { pstudio_sf_close(h) }
    func tag(_ key: Int) -> String? { pstudio_sf_get_string(h, Int32(key)).map { String(cString: $0) } }
    let tags = AudioTags(
      title: tag(SF_STR_TITLE), artist: tag(SF_STR_ARTIST), album: tag(SF_STR_ALBUM), comment: tag(SF_STR_COMMENT),
      date: tag(SF_STR_DATE), trackNumber: tag(SF_STR_TRACKNUMBER), software: tag(SF_STR_SOFTWARE),
      genre: tag(SF_STR_GENRE))
    let major = Int(sfinfo.format) & SF_FORMAT_TYPEMASK
    let minor = Int(sfinfo.format) & SF_FORMAT_SUBMASK
    let container =
      major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX ? "wav" : major == SF_FORMAT_FLAC ? "flac" : "other"
    let encoding =
      minor == SF_FORMAT_PCM_16 ? "16" : minor == SF_FORMAT_PCM_24 ? "24" : minor == SF_FORMAT_FLOAT ? "32f" : "other"
    var info = AudioFileInfo(
      frames: sfinfo.frames, sampleRate: Int(sfinfo.samplerate), channels: Int(sfinfo.channels),
      container: container, encoding: encoding, tags: tags)
    var instrument = SF_INSTRUMENT()
    let size = Int32(MemoryLayout<SF_INSTRUMENT>.size)
    if pstudio_sf_command(h, Int32(SFC_GET_INSTRUMENT), &instrument, size) == SF_TRUE {
      if (0...127).contains(instrument.basenote) { info.rootKey = Int(instrument.basenote) }
      // `loops` (an array of anonymous structs {mode, start, end, count}) is not imported into Swift: read the
      // first one from just after `loop_count`. libsndfile reports a WAV loop's end as the smpl chunk's last
      // frame + 1, so it is already exclusive.
      let offset = MemoryLayout<SF_INSTRUMENT>.offset(of: \.loop_count)! + 4
      let (start, end) = withUnsafeBytes(of: &instrument) { raw in
        (raw.load(fromByteOffset: offset + 4, as: UInt32.self), raw.load(fromByteOffset: offset + 8, as: UInt32.self))
      }
      if instrument.loop_count > 0, start < end, Int64(end) <= sfinfo.frames { info.loop = Int(start)..<Int(end) }
    }
    return try body(h, info, tags)
  }
}

extension AudioFileInfo {
  fileprivate func withTags(_ t: AudioTags) -> AudioFileInfo {
    var c = self
    c.tags = t
    return c
  }
}
