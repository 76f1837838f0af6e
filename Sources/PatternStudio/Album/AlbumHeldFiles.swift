/// Track files an album export wrote while it was still planning the album's gain. A plan round renders every
/// track at the gain and limiter it measures; where the track's file would be written anyway, that render also
/// writes it (held under a temporary name, `FileSink(holds:)`). When the plan ends on that round — the gain and
/// limiter are the ones the file gets — the write pass renames the held file instead of rendering the track a
/// third time; otherwise the file is discarded and written as before. Either way the bytes are the same.
final class AlbumHeldFiles: @unchecked Sendable {
  /// One held file: what it was rendered with, its sink (to commit or discard) and its manifest entry.
  struct File {
    var gain: Double
    var ceiling: Double?
    var sink: FileSink
    var track: AlbumTrack
  }

  /// Per track. Slot `i` is only touched by the job that has track `i`, and plan rounds and the write pass run
  /// one after another (each `Parallel.map` returns before the next starts), so no two threads share a slot.
  private var files: [File?]

  init(count: Int) { files = [File?](repeating: nil, count: count) }

  /// Holds `file` for track `i`, discarding the one an earlier round held.
  func hold(_ file: File, track i: Int) {
    files[i]?.sink.discard()
    files[i] = file
  }

  /// Track `i`'s held file if it was rendered with exactly `gain` and `ceiling` (and forgets it); any other
  /// held file for `i` is discarded.
  func take(track i: Int, gain: Double, ceiling: Double?) -> File? {
    defer { files[i] = nil }
    guard let file = files[i] else { return nil }
    guard file.gain == gain, file.ceiling == ceiling else {
      file.sink.discard()
      return nil
    }
    return file
  }

  /// Discards every file still held (the export failed, or the plan ended elsewhere).
  func discardAll() {
    for i in files.indices {
      files[i]?.sink.discard()
      files[i] = nil
    }
  }
}
