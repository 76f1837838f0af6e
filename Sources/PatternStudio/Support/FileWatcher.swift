import Foundation
import Glibc

/// Notices when files change: polls each path's `stat` (device, inode, size, modification time to the
/// nanosecond, or "missing"), so an editor that saves by writing a new file and renaming it over the old one is
/// noticed as surely as one that writes in place, on every file system (network and container mounts too,
/// where inotify stays silent). A folder's stamp is the list of names in it, hidden ones aside: adding,
/// removing or renaming a file changes it, while writing an existing file (a render's output renamed over
/// itself through a hidden temporary name) does not.
///
/// Polling a handful of paths every 50 ms costs microseconds; a change is reported once the files have stayed
/// unchanged for `settle`, so a save in several writes is one change, not several.
public struct FileWatcher: Sendable {
  /// How often to look, seconds.
  public var interval: Double
  /// How long the files must stay unchanged before a change is reported, seconds.
  public var settle: Double

  public init(interval: Double = 0.05, settle: Double = 0.1) {
    self.interval = interval
    self.settle = settle
  }

  /// What `stat` says of each path; for a folder, the names in it.
  public static func snapshot(_ paths: [String]) -> [String: String] {
    var stamps: [String: String] = [:]
    for path in paths {
      var info = stat()
      if stat(path, &info) != 0 {
        stamps[path] = "missing"
      } else if (info.st_mode & S_IFMT) == S_IFDIR {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        stamps[path] = "folder:" + names.filter { !$0.hasPrefix(".") }.sorted().joined(separator: "/")
      } else {
        stamps[path] = "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
      }
    }
    return stamps
  }

  /// Blocks until one of `paths` differs from `since` and has settled; returns the changed paths (sorted), or
  /// nil when `shouldStop` says so first.
  public func waitForChange(
    _ paths: [String], since: [String: String], shouldStop: () -> Bool = { false }
  ) -> [String]? {
    var current = since
    while !shouldStop() {
      Self.sleep(interval)
      current = Self.snapshot(paths)
      if current != since { break }
    }
    if shouldStop() { return nil }
    // Settle: until nothing moved for `settle` seconds.
    var quiet = 0.0
    while quiet < settle, !shouldStop() {
      let step = min(interval, settle)
      Self.sleep(step)
      let next = Self.snapshot(paths)
      quiet = next == current ? quiet + step : 0
      current = next
    }
    return paths.filter { current[$0] != since[$0] }.sorted()
  }

  static func sleep(_ seconds: Double) {
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
  }
}
