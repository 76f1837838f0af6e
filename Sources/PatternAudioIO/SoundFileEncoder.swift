import CSndFile
import Glibc

/// One libsndfile handle open for writing, wherever its bytes go (a temporary file, or memory through
/// libsndfile's virtual I/O): the format checks, tags, PEAK-chunk switch and the three sample writers that
/// `AudioFileWriter` and `AudioMemoryWriter` share.
final class SoundFileEncoder {
  let format: AudioFormat
  /// The destination named in errors (nil: memory).
  let path: String?
  private(set) var handle: OpaquePointer?
  private(set) var framesWritten: Int64 = 0

  /// Checks `format`, then opens through `open` (given the filled-in `SF_INFO`) and writes the tags.
  init(format: AudioFormat, tags: AudioTags, path: String?, open: (inout SF_INFO) -> OpaquePointer?) throws {
    if let reason = format.unsupportedReason { throw AudioIOError(.format, path: path, detail: reason) }
    self.format = format
    self.path = path
    var info = SF_INFO()
    info.samplerate = Int32(format.sampleRate)
    info.channels = Int32(format.channels)
    info.format = format.sndfileFormat
    guard pstudio_sf_format_check(&info) == SF_TRUE else {
      throw AudioIOError(.format, path: path, detail: "libsndfile cannot write \(format)")
    }
    let saved = errno
    errno = 0
    guard let h = open(&info) else {
      let code = errno
      throw AudioIOError(
        .open, path: path, errno: code == 0 ? nil : code, libraryMessage: AudioIOError.sndfileMessage(nil))
    }
    errno = saved
    handle = h
    // The PEAK chunk holds time(NULL): off, or identical renders give different files.
    pstudio_sf_command(h, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
    for (key, value) in tags.sndfileStrings {
      guard let value, !value.isEmpty else { continue }
      pstudio_sf_set_string(h, key, value)
    }
  }

  deinit { abandon() }

  /// Appends an interleaved chunk (`count` a multiple of the channel count).
  func write(_ chunk: PCMChunk) throws {
    guard let h = handle else { throw AudioIOError(.write, path: path, detail: "the file is already closed") }
    let frames = Int64(chunk.count / format.channels)
    errno = 0
    let n: sf_count_t
    switch chunk {
    case .int16(let b): n = pstudio_sf_writef_short(h, b.baseAddress, frames)
    case .int24(let b): n = pstudio_sf_writef_int(h, b.baseAddress, frames)
    case .float32(let b): n = pstudio_sf_writef_float(h, b.baseAddress, frames)
    }
    guard n == frames else {
      let code = errno
      let failure = AudioIOError(
        .write, path: path, errno: code == 0 ? nil : code, libraryMessage: AudioIOError.sndfileMessage(h),
        detail: "\(n) of \(frames) frames written")
      abandon()
      throw failure
    }
    framesWritten += frames
  }

  /// Finishes the stream (headers, FLAC's STREAMINFO); `sync` also flushes a file to disk.
  func close(sync: Bool) throws {
    guard let h = handle else { throw AudioIOError(.close, path: path, detail: "the file is already closed") }
    if sync { pstudio_sf_write_sync(h) }
    handle = nil
    let rc = pstudio_sf_close(h)
    guard rc == 0 else {
      throw AudioIOError(.close, path: path, libraryMessage: String(cString: pstudio_sf_error_number(rc)))
    }
  }

  /// Closes without caring about the result (the output is being thrown away).
  func abandon() {
    if let h = handle {
      handle = nil
      pstudio_sf_close(h)
    }
  }
}
