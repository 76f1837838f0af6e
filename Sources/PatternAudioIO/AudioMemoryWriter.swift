import CSndFile

/// Encodes interleaved samples (WAV or FLAC, as `AudioFileWriter` would write them) straight into memory
/// through libsndfile's virtual I/O: no scratch file, no fsync, no read-back. What the server sends.
///
/// The bytes are identical to a file written by `AudioFileWriter` with the same format, tags and samples.
public final class AudioMemoryWriter {
  public let format: AudioFormat
  private let storage: MemoryFile
  private let handle: VirtualFileHandle
  private var encoder: SoundFileEncoder!

  /// - Parameters:
  ///   - format: Container, encoding, rate and channels.
  ///   - tags: Text tags.
  ///   - expectedFrames: A size hint (frames) so the buffer grows once; 0 when unknown.
  ///   - region: Memory to encode into (the caller's, e.g. a mapping another process reads) instead of an
  ///     array, while the file fits; a larger file moves to an array. `finish()` says where the bytes are.
  public init(
    format: AudioFormat, tags: AudioTags = AudioTags(), expectedFrames: Int64 = 0,
    region: UnsafeMutableRawBufferPointer? = nil
  ) throws {
    self.format = format
    let hint = Int(min(max(0, expectedFrames), 1 << 34)) * format.channels * (format.encoding.bits / 8)
    // A WAV's length is known: one too long for the region goes to an array from the start (a FLAC's hint is
    // its PCM's size, far above what it encodes to, so it tries the region).
    let fits = format.container != .wav || hint + 4096 <= (region?.count ?? 0)
    storage = MemoryFile(capacity: hint + 4096, region: fits ? region : nil)
    handle = VirtualFileHandle(storage)
    let user = handle.user
    encoder = try SoundFileEncoder(format: format, tags: tags, path: nil) { info in
      var io = VirtualFileHandle.callbacks
      return pstudio_sf_open_virtual(&io, Int32(SFM_WRITE), &info, user)
    }
  }

  // libsndfile writes through `handle` until the encoder is closed: close it first, whatever order Swift
  // releases the stored properties in.
  deinit { encoder?.abandon() }

  public var framesWritten: Int64 { encoder.framesWritten }

  /// Appends an interleaved chunk.
  public func write(_ chunk: PCMChunk) throws { try encoder.write(chunk) }

  /// Finishes the stream and hands over the encoded bytes (the writer is done afterwards): an array, or empty
  /// when they are the first `inRegion` bytes of the region given to `init`.
  public func finish() throws -> (bytes: [UInt8], inRegion: Int?) {
    try encoder.close(sync: false)
    if format.container == .wav && format.encoding == .float32 {
      var header = storage.prefix(FloatWAVHeader.length)
      if FloatWAVHeader.rewrite(&header) { storage.replacePrefix(with: header) }
    }
    return storage.take()
  }
}
