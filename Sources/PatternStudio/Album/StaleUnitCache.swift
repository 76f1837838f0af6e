import Foundation
import PatternAudioIO

#if canImport(Glibc)
  import Glibc
#endif

/// The units an export with `--force` replaces: the cache's `units/` folder renamed aside at once, inside the
/// cache (`.old.PID.N`), and deleted on a thread of its own while the album is finished, rather than deleted
/// before the new units render; and the folders an export killed in between left there (its process gone).
///
/// Why: on a file system mounted with `discard` (this VM's ext4), unlinking a file waits for the disk to discard
/// its blocks. Deleting the example album's six units (175 MB) up front held the main thread ~30 ms with both
/// cores idle, and the discards queued ahead of the first units' reads (one job's page fault waited 42 ms);
/// replaced one by one instead (each unit renamed over its old file), every rename waited 5–8 ms in its job.
/// A rename of the folder costs nothing, and deleting it during the finish waits on the disk, not on a core:
/// the export 1.545 → 1.49 s (`album --jobs 2 --force`, medians of 10 alternating). An export interrupted or
/// killed before the deletion ends leaves the folder inside the cache, where the next export deletes it.
final class StaleUnitCache: @unchecked Sendable {
  /// What a folder moved aside is named: `.old.PID.N` inside the cache.
  static let prefix = ".old."
  private let folders: [String]
  private let deleted = DispatchSemaphore(value: 0)
  /// Whether the deleting thread was started (only the export's thread reads and sets it).
  private var started = false

  /// Moves `cache`'s `units/` aside when `replacing` (a rename: nothing is deleted yet) and finds the folders
  /// earlier exports moved aside whose process is gone.
  init(cache: String, replacing: Bool) {
    var folders = Self.leftovers(in: cache)
    if replacing, let aside = Self.moveAside((cache as NSString).appendingPathComponent("units"), in: cache) {
      folders.append(aside)
    }
    self.folders = folders
  }

  /// The folders to delete (moved aside now or before), for tests.
  var pending: [String] { folders }

  /// `units` renamed to the first free `.old.PID.N` in `cache`; nil when there is nothing to move (or it
  /// cannot be moved: the export then replaces the old units one by one, as they are rendered).
  private static func moveAside(_ units: String, in cache: String) -> String? {
    for n in 0..<16 {
      let aside = (cache as NSString).appendingPathComponent("\(prefix)\(getpid()).\(n)")
      if rename(units, aside) == 0 { return aside }
      // Taken (a leftover of a process that had our pid): try the next name; anything else gives up.
      guard errno == EEXIST || errno == ENOTEMPTY else { return nil }
    }
    return nil
  }

  /// The `.old.PID.N` folders in `cache` whose process is no longer running.
  private static func leftovers(in cache: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
    return names.sorted().compactMap { name in
      let parts = name.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false)
      guard name.hasPrefix(prefix), parts.count == 2, let pid = Int32(parts[0]), Int(parts[1]) != nil,
        TemporaryFiles.processIsGone(pid)
      else { return nil }
      return (cache as NSString).appendingPathComponent(name)
    }
  }

  /// Starts deleting the folders on a thread of its own (once; nothing when there are none).
  func startDeleting() {
    guard !started, !folders.isEmpty else { return }
    started = true
    let (folders, deleted) = (self.folders, self.deleted)
    Thread.detachNewThread {
      for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
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
