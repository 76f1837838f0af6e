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
  private let encoder: SoundFileEncoder
  /// Where the temporary file is registered for removal on SIGINT/SIGTERM/SIGHUP.
  private var registration: Int?
  private var open = true

  /// Opens a temporary file next to `path`.
  ///
  /// - Parameters:
  ///   - path: Final file path; its folder must exist and be writable.
  ///   - format: Container, encoding, rate and channels.
  ///   - tags: Text tags (written before any audio, as libsndfile requires).
  public init(path: String, format: AudioFormat, tags: AudioTags = AudioTags()) throws {
    self.format = format
    self.destination = path
    let (folder, base) = TemporaryFiles.split(path)
    let temporary = TemporaryFiles.partialName(folder: folder, base: base)
    self.temporaryPath = temporary
    // Leftovers of killed renders of this destination go first.
    TemporaryFiles.removeStale(folder: folder, base: base)
    do {
      encoder = try SoundFileEncoder(format: format, tags: tags, path: path) { info in
        sf_open(temporary, Int32(SFM_WRITE), &info)
      }
    } catch {
      unlink(temporary)  // libsndfile may have created it before failing
      throw error
    }
    registration = TemporaryFiles.register(temporaryPath)
  }

  deinit { cancel() }

  public var framesWritten: Int64 { encoder.framesWritten }

  /// Appends an interleaved chunk (its sample count a multiple of the channel count). A failed write removes
  /// the temporary file.
  public func write(_ chunk: PCMChunk) throws {
    do { try encoder.write(chunk) } catch {
      cancel()
      throw error
    }
  }

  /// Closes the file, flushes it to disk and renames it over the destination.
  public func finish() throws {
    guard open else { throw AudioIOError(.close, path: destination, detail: "the file is already closed") }
    open = false
    defer {
      TemporaryFiles.unregister(registration)
      registration = nil
    }
    do {
      try encoder.close(sync: true)
      if format.container == .wav && format.encoding == .float32 { try FloatWAVHeader.rewrite(path: temporaryPath) }
    } catch {
      unlink(temporaryPath)
      throw error
    }
    guard rename(temporaryPath, destination) == 0 else {
      let code = errno
      unlink(temporaryPath)
      throw AudioIOError(.rename, path: destination, errno: code)
    }
  }

  /// Abandons the file: closes and deletes the temporary file. The destination is not touched.
  public func cancel() {
    guard open else { return }
    open = false
    encoder.abandon()
    unlink(temporaryPath)
    TemporaryFiles.unregister(registration)
    registration = nil
  }
}
