import Foundation
import GRDB
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import PatternServer

/// The SQLite store: migrations, WAL, durable saves, ids.
@Suite("Server store (SQLite)") struct StoreTests {
  @Test("a file database is created, migrated, in WAL mode with synchronous=FULL")
  func aFileDatabaseIsMigratedInWALModeWithFullSync() async throws {
    let folder = Scratch.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = "\(folder)/nested/studio.sqlite"
    let store = try PatternStore(path: path, passwordCost: 4)
    let admin = try #require(try await store.user(named: "admin"))
    let saved = try await store.create(name: "a", code: "melody { sine C4 0; }", owner: admin.id)
    // Reopening migrates nothing twice (no second admin password) and finds the pattern.
    let reopened = try PatternStore(path: path, passwordCost: 4)
    #expect(store.adminPassword != nil && reopened.adminPassword == nil)
    #expect(try await reopened.load(id: saved.id, owner: admin.id) == saved)
    let queue = try DatabaseQueue(path: path)
    let (mode, tables) = try await queue.read { db in
      (
        try String.fetchOne(db, sql: "PRAGMA journal_mode"),
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      )
    }
    #expect(mode == "wal")
    #expect(tables.contains("pattern") && tables.contains("pattern_version") && tables.contains("grdb_migrations"))
    let sync = try await reopened.synchronousMode()
    #expect(sync == 2)  // FULL
  }

  @Test("versions stay; stale base versions and unknown ids are errors; delete cascades")
  func versionsStayAndDeleteRemovesThemAll() async throws {
    let store = try PatternStore(path: nil, passwordCost: 4)
    let owner = try #require(try await store.user(named: "admin")).id
    let a = try await store.create(name: "a", code: "1", owner: owner)
    let b = try await store.update(id: a.id, owner: owner, name: nil, code: "2", baseVersion: 1)
    #expect(b.version == 2 && b.name == "a" && b.createdAt == a.createdAt)
    await #expect(throws: StoreError.staleVersion(latest: 2)) {
      try await store.update(id: a.id, owner: owner, name: nil, code: "3", baseVersion: 1)
    }
    #expect(try await store.load(id: a.id, version: 1, owner: owner)?.patternCode == "1")
    #expect(try await store.versions(id: a.id, owner: owner)?.count == 2)
    #expect(try await store.delete(id: a.id, owner: owner))
    #expect(try await store.versions(id: a.id, owner: owner) == nil)
    #expect(try await store.delete(id: a.id, owner: owner) == false)
    await #expect(throws: StoreError.notFound) {
      try await store.update(id: a.id, owner: owner, name: nil, code: "", baseVersion: nil)
    }
  }

  @Test("ids: 128 random bits, unique, well-formed") func idsAreUnguessableAndWellFormed() {
    let ids = (0..<10_000).map { _ in PatternID.make() }
    #expect(Set(ids).count == ids.count)
    #expect(ids.allSatisfy { PatternID.isWellFormed(Substring($0)) })
    // Every character position varies (no counter or clock inside).
    for i in 0..<PatternID.length - 1 {
      let column = Set(ids.map { Array($0)[i] })
      #expect(column.count > 32, "position \(i)")
    }
    #expect(!PatternID.isWellFormed("short"))
    #expect(!PatternID.isWellFormed("AAAAAAAAAAAAAAAAAAAA/."))
  }

  @Test("a database that cannot be opened is an error") func aDatabaseThatCannotBeOpenedIsAnError() {
    #expect(throws: (any Error).self) { try PatternStore(path: "/proc/no-such/studio.sqlite") }
  }
}
