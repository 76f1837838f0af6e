import Foundation
import PatternAudioIO

/// The unit cache an export with `--force` replaces, moved aside at once and deleted on a thread of its own
/// while the album is finished, rather than deleted before its units are rendered; and what an export killed
/// before deleting it left there.
///
/// Why: on a file system mounted with `discard` (this VM's ext4), unlinking a file waits for the disk to discard
/// its blocks. Deleting the example album's six units (175 MB) up front held the main thread ~30 ms with both
/// cores idle, and the discards queued ahead of the first units' reads (one job's page fault waited 42 ms);
/// replaced one by one instead (each unit renamed over its old file), every rename waited 5–8 ms in its job.
/// A folder renamed aside costs nothing, and its deletion during the finish waits on the disk, not on a core:
/// the export 1.51 → 1.48 s (`album --jobs 2 --force`, medians of 10 alternating, against 1.50 s renamed over).
/// An export interrupted meanwhile (SIGINT, SIGTERM) removes the folders moved aside in its signal handler
/// (`TemporaryFiles`); one killed outright leaves them to the next export.
final class StaleUnitCache: @unchecked Sendable {
  /// What a cache moved aside is named after: `<cache>.old.<pid>`.
  static let marker = ".old."
  private let folders: [String]
  /// Their files and folders, each folder before what it holds.
  private let paths: [String]
  /// The same in `TemporaryFiles` (an interrupted export's signal handler removes them), until deleted.
  private let registered: [Int?]
  private let deleted = DispatchSemaphore(value: 0)
  /// Whether the deleting thread was started (only the export's thread reads and sets it).
  private var started = false

  /// Moves `cache` aside when `replacing` (a rename: nothing is deleted yet) and finds the caches earlier exports
  /// moved aside and did not delete.
  init(cache: String, replacing: Bool) {
    let parent = (cache as NSString).deletingLastPathComponent
    let prefix = (cache as NSString).lastPathComponent + Self.marker
    var folders = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
      .filter { $0.hasPrefix(prefix) }.sorted().map { (parent as NSString).appendingPathComponent($0) }
    if replacing {
      let aside = cache + Self.marker + String(getpid())
      if !folders.contains(aside), rename(cache, aside) == 0 { folders.append(aside) }
    }
    self.folders = folders
    paths = folders.flatMap { folder in
      [folder]
        + ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).map {
          (folder as NSString).appendingPathComponent($0)
        }
    }
    registered = paths.map(TemporaryFiles.register)
  }

  /// The folders to delete (moved aside now or before), for tests.
  var pending: [String] { folders }
  /// How many of their files and folders an interrupted export's signal handler would remove, for tests.
  var registeredPaths: Int { registered.count { $0 != nil } }

  /// Starts deleting the folders on a thread of its own (once; nothing when there are none).
  func startDeleting() {
    guard !started, !folders.isEmpty else { return }
    started = true
    let (folders, paths, registered, deleted) = (self.folders, self.paths, self.registered, self.deleted)
    Thread.detachNewThread {
      // Path by path, what a folder holds before the folder, each failure skipped: a signal handler may be
      // removing the same paths (FileManager's `removeItem` gives up at the first one already gone).
      for path in paths.reversed() where unlink(path) != 0 { rmdir(path) }
      for folder in folders where FileManager.default.fileExists(atPath: folder) {
        try? FileManager.default.removeItem(atPath: folder)
      }
      registered.forEach(TemporaryFiles.unregister)
      deleted.signal()
    }
  }

  /// Deletes the folders (starting now if not started yet) and waits until they are gone.
  func finish() {
    startDeleting()
    guard started else { return }
    deleted.wait()
    deleted.signal()  // a second `finish` returns too
  }
}
