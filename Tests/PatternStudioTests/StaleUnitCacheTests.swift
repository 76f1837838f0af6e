import Foundation
import TestSupport
import Testing

@testable import PatternStudio

/// `--force` moves the old units aside inside the cache at once and deletes them later (`StaleUnitCache`); what
/// an export killed in between left there is deleted by the next export once its process is gone, and nothing
/// else in the cache is touched.
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

  /// A pid no process has: a child's, once it has exited.
  static func deadPid() throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    try p.run()
    p.waitUntilExit()
    return p.processIdentifier
  }

  @Test("replacing: the units are moved aside inside the cache at once, then deleted")
  func replacing() throws {
    let out = Scratch.folder()
    let cache = try Self.cache(in: out)
    let stale = StaleUnitCache(cache: cache, replacing: true)
    #expect(!Self.exists("\(cache)/units"))
    let aside = try #require(stale.pending.first)
    #expect(stale.pending.count == 1 && aside == "\(cache)/\(StaleUnitCache.prefix)\(getpid()).0")
    #expect(Self.exists("\(aside)/a.wav"))
    stale.finish()
    stale.finish()
    #expect(!Self.exists(aside))
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache).isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [AlbumExporter.unitCache])
  }

  @Test("a name taken by a leftover of a process with our pid: the next number")
  func nameTaken() throws {
    let cache = try Self.cache(in: Scratch.folder())
    let taken = "\(cache)/\(StaleUnitCache.prefix)\(getpid()).0"
    try FileManager.default.createDirectory(atPath: "\(taken)/x", withIntermediateDirectories: true)
    let stale = StaleUnitCache(cache: cache, replacing: true)
    #expect(stale.pending == ["\(cache)/\(StaleUnitCache.prefix)\(getpid()).1"])
    stale.finish()
    #expect(Self.exists(taken) && !Self.exists("\(cache)/units"))
  }

  @Test("not replacing: the units stay; leftovers of gone processes go, a live one's and other names stay")
  func leftovers() throws {
    let cache = try Self.cache(in: Scratch.folder())
    let dead = "\(cache)/\(StaleUnitCache.prefix)\(try Self.deadPid()).0"
    let live = "\(cache)/\(StaleUnitCache.prefix)1.0"  // pid 1 is always running
    let other = "\(cache)/\(StaleUnitCache.prefix)keep"
    for folder in [dead, live, other] { try FileManager.default.copyItem(atPath: "\(cache)/units", toPath: folder) }
    let stale = StaleUnitCache(cache: cache, replacing: false)
    #expect(stale.pending == [dead])
    stale.finish()
    #expect(!Self.exists(dead) && Self.exists(live) && Self.exists(other))
    #expect(Self.exists("\(cache)/units/a.wav"))
    // Nothing to delete: nothing started, nothing waited for.
    let none = StaleUnitCache(cache: Scratch.folder(), replacing: true)
    #expect(none.pending.isEmpty)
    none.finish()
  }
}
