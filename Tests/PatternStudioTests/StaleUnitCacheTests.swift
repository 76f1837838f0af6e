import Foundation
import TestSupport
import Testing

@testable import PatternStudio

/// `--force` moves the old unit cache aside at once and deletes it later (`StaleUnitCache`); a cache an export
/// killed in between left aside is deleted by the next export, forced or not.
@Suite("Stale unit cache")
struct StaleUnitCacheTests {
  /// A cache folder with a unit file and a record in `out`.
  static func cache(in out: String) throws -> String {
    let cache = (out as NSString).appendingPathComponent(AlbumExporter.unitCache)
    try FileManager.default.createDirectory(atPath: "\(cache)/units", withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: "\(cache)/units/a.wav", contents: Data(count: 1 << 20)))
    #expect(FileManager.default.createFile(atPath: "\(cache)/units/a.json", contents: Data("{}".utf8)))
    return cache
  }

  static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

  @Test("replacing: the cache is moved aside at once, then deleted")
  func replacing() throws {
    let out = Scratch.folder()
    let cache = try Self.cache(in: out)
    let stale = StaleUnitCache(cache: cache, replacing: true)
    #expect(!Self.exists(cache))
    #expect(stale.pending.count == 1)
    let aside = try #require(stale.pending.first)
    #expect(aside.hasPrefix(cache + StaleUnitCache.marker))
    #expect(Self.exists("\(aside)/units/a.wav"))
    // Registered for an interrupted export's signal handler: the folder, `units` and its two files.
    #expect(stale.registeredPaths == 4)
    stale.startDeleting()
    stale.finish()
    stale.finish()
    #expect(!Self.exists(aside))
    #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
  }

  @Test("not replacing: the cache stays; caches left aside by a killed export are deleted")
  func leftovers() throws {
    let out = Scratch.folder()
    let cache = try Self.cache(in: out)
    let left = cache + StaleUnitCache.marker + "12345"
    try FileManager.default.copyItem(atPath: cache, toPath: left)
    let stale = StaleUnitCache(cache: cache, replacing: false)
    #expect(stale.pending == [left])
    stale.finish()
    #expect(!Self.exists(left))
    #expect(Self.exists("\(cache)/units/a.wav"))
    // Nothing to delete: nothing started, nothing waited for.
    let none = StaleUnitCache(cache: cache, replacing: false)
    #expect(none.pending.isEmpty)
    none.finish()
    #expect(Self.exists("\(cache)/units/a.json"))
  }
}
