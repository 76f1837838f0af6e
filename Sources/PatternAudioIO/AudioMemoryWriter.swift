import CSndFile

/// Encodes interleaved samples (WAV or FLAC, as `AudioFileWriter` would write them) straight into memory
/// through libsndfile's virtual I/O: no scratch file, no fsync, no read-back. What the server sends.
///
/// The bytes are identical to a file written by `AudioFileWriter` with the same format, tags and samples.
public final class AudioMemoryWriter {
  public let format: AudioFormat
  private let storage: MemoryFile
  private var encoder: SoundFileEncoder!

  /// - Parameters:
  ///   - format: Container, encoding, rate and channels.
  ///   - tags: Text tags.
  ///   - expectedFrames: A size hint (frames) so the buffer grows once; 0 when unknown.
  public init(format: AudioFormat, tags: AudioTags = AudioTags(), expectedFrames: Int64 = 0) throws {
    self.format = format
    let hint = Int(min(max(0, expectedFrames), 1 << 34)) * format.channels * (format.encoding.bits / 8)
    storage = MemoryFile(capacity: hint + 4096)
    let user = Unmanaged.passUnretained(storage).toOpaque()
    encoder = try SoundFileEncoder(format: format, tags: tags, path: nil) { info in
      var io = MemoryFile.callbacks
      return pstudio_sf_open_virtual(&io, Int32(SFM_WRITE), &info, user)
    }
  }

  // libsndfile writes through `storage` until the handle is closed: close it first, whatever order Swift
  // releases the stored properties in.
  deinit { encoder?.abandon() }

  public var framesWritten: Int64 { encoder.framesWritten }

  /// Appends an interleaved chunk.
  public func write(_ chunk: PCMChunk) throws { try encoder.write(chunk) }

  /// Finishes the stream and hands over the encoded bytes (the writer is done afterwards).
  public func finish() throws -> [UInt8] {
    try encoder.close(sync: false)
    var bytes = storage.take()
    if format.container == .wav && format.encoding == .float32 {
      var header = Array(bytes.prefix(FloatWAVHeader.length))
      if FloatWAVHeader.rewrite(&header) { bytes.replaceSubrange(0..<FloatWAVHeader.length, with: header) }
    }
    return bytes
  }
}

/// A growable byte array with a position: libsndfile's "file" for `AudioMemoryWriter`.
private final class MemoryFile {
  var bytes: [UInt8]
  var position = 0

  init(capacity: Int) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  func take() -> [UInt8] {
    defer { bytes = [] }
    return bytes
  }

  static func from(_ user: UnsafeMutableRawPointer?) -> MemoryFile {
    Unmanaged<MemoryFile>.fromOpaque(user!).takeUnretainedValue()
  }

  /// The C callbacks (no captures: state travels in `user_data`).
  static var callbacks: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in sf_count_t(MemoryFile.from(user).bytes.count) },
      seek: { offset, whence, user in
        let file = MemoryFile.from(user)
        file.position = VirtualSeek.position(
          offset: offset, whence: whence, current: file.position, length: file.bytes.count)
        return sf_count_t(file.position)
      },
      read: { pointer, count, user in
        let file = MemoryFile.from(user)
        let n = max(0, min(Int(count), file.bytes.count - file.position))
        if n > 0, let pointer {
          file.bytes.withUnsafeBytes { src in
            pointer.copyMemory(from: src.baseAddress! + file.position, byteCount: n)
          }
        }
        file.position += n
        return sf_count_t(n)
      },
      write: { pointer, count, user in
        let file = MemoryFile.from(user)
        let n = Int(count)
        guard n > 0, let pointer else { return 0 }
        let source = UnsafeRawBufferPointer(start: pointer, count: n)
        if file.position > file.bytes.count {
          file.bytes.append(contentsOf: repeatElement(0, count: file.position - file.bytes.count))
        }
        let overlap = min(n, file.bytes.count - file.position)
        if overlap > 0 {
          file.bytes.withUnsafeMutableBytes { dst in
            (dst.baseAddress! + file.position).copyMemory(from: pointer, byteCount: overlap)
          }
        }
        if overlap < n { file.bytes.append(contentsOf: source[overlap...]) }
        file.position += n
        return sf_count_t(n)
      },
      tell: { user in sf_count_t(MemoryFile.from(user).position) })
  }
}
