import CSndFile
import Glibc
import Synchronization

/// Writes interleaved samples through libsndfile into a temporary file beside the destination, and renames it
/// over the destination only in `finish()`. Until then an existing file at the destination is untouched; if
/// the writer is dropped or `cancel()`ed, the temporary file is removed. So a failed render never leaves a
/// half file and never clobbers a good one.
///
/// Samples arrive already quantised by the master stage (integers for PCM formats), so what is written is
/// exactly what the golden hash covers. libsndfile's PEAK chunk (which holds a timestamp) is turned off, so
/// float WAVs are byte-reproducible too.
public final class AudioFileWriter {
  public let format: AudioFormat
  public let destination: String
  public let temporaryPath: String
  private var handle: OpaquePointer?
  /// Where the temporary file is registered for removal on SIGINT/SIGTERM/SIGHUP.
  private var registration: Int?
  public private(set) var framesWritten: Int64 = 0

  /// Opens a temporary file next to `path`.
  ///
  /// - Parameters:
  ///   - path: Final file path; its folder must exist and be writable.
  ///   - format: Container, encoding, rate and channels.
  ///   - tags: Text tags (written before any audio, as libsndfile requires).
  public init(path: String, format: AudioFormat, tags: AudioTags = AudioTags()) throws {
    if let reason = format.unsupportedReason { throw AudioIOError(reason) }
    self.format = format
    self.destination = path
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    self.temporaryPath = "\(folder).\(base).\(getpid()).\(AudioFileWriter.nextSerial()).partial"
    // Leftovers of killed renders of this destination go first.
    TemporaryFiles.removeStale(folder: folder, base: base)

    var info = SF_INFO()
    info.samplerate = Int32(format.sampleRate)
    info.channels = Int32(format.channels)
    info.format = format.sndfileFormat
    guard sf_format_check(&info) == SF_TRUE else { throw AudioIOError("libsndfile cannot write \(format)") }
    guard let h = sf_open(temporaryPath, Int32(SFM_WRITE), &info) else {
      let reason = String(cString: sf_strerror(nil))
      throw AudioIOError("cannot write '\(path)': \(reason)")
    }
    handle = h
    registration = TemporaryFiles.register(temporaryPath)
    // The PEAK chunk holds time(NULL): off, or identical renders give different files.
    sf_command(h, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
    for (key, value) in tags.sndfileStrings {
      guard let value, !value.isEmpty else { continue }
      sf_set_string(h, key, value)
    }
  }

  deinit { cancel() }

  /// Distinguishes temporary files of writers in one process (the pid distinguishes processes).
  private static let serial = Atomic<Int>(0)
  private static func nextSerial() -> Int { serial.add(1, ordering: .relaxed).newValue }

  /// Appends interleaved 16-bit frames (`samples.count` must be a multiple of the channel count).
  public func write(_ samples: UnsafeBufferPointer<Int16>) throws {
    try checkOpen()
    let frames = Int64(samples.count / format.channels)
    let n = sf_writef_short(handle, samples.baseAddress, frames)
    try checkWritten(n, frames)
  }

  /// Appends interleaved 32-bit integer frames; for 24-bit files each value holds the sample in its top
  /// 24 bits (libsndfile's convention).
  public func write(_ samples: UnsafeBufferPointer<Int32>) throws {
    try checkOpen()
    let frames = Int64(samples.count / format.channels)
    let n = sf_writef_int(handle, samples.baseAddress, frames)
    try checkWritten(n, frames)
  }

  /// Appends interleaved float frames (full scale ±1).
  public func write(_ samples: UnsafeBufferPointer<Float>) throws {
    try checkOpen()
    let frames = Int64(samples.count / format.channels)
    let n = sf_writef_float(handle, samples.baseAddress, frames)
    try checkWritten(n, frames)
  }

  private func checkOpen() throws {
    guard handle != nil else { throw AudioIOError("write after the file was closed") }
  }

  private func checkWritten(_ n: sf_count_t, _ frames: Int64) throws {
    guard n == frames else {
      let reason = String(cString: sf_strerror(handle))
      cancel()
      throw AudioIOError("writing '\(destination)' failed: \(reason)")
    }
    framesWritten += frames
  }

  /// Closes the file, flushes it to disk and renames it over the destination.
  public func finish() throws {
    guard let h = handle else { throw AudioIOError("file already closed") }
    sf_write_sync(h)
    let rc = sf_close(h)
    handle = nil
    defer {
      TemporaryFiles.unregister(registration)
      registration = nil
    }
    guard rc == 0 else {
      unlink(temporaryPath)
      throw AudioIOError("closing '\(destination)' failed: \(String(cString: sf_error_number(rc)))")
    }
    guard rename(temporaryPath, destination) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporaryPath)
      throw AudioIOError("cannot move the finished file to '\(destination)': \(reason)")
    }
  }

  /// Abandons the file: closes and deletes the temporary file. The destination is not touched.
  public func cancel() {
    if let h = handle {
      sf_close(h)
      handle = nil
      unlink(temporaryPath)
      TemporaryFiles.unregister(registration)
      registration = nil
    }
  }
}
