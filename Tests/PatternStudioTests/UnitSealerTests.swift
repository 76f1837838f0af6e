import Foundation
import Synchronization
import TestSupport
import Testing

@testable import PatternStudio

/// A one-machine export hashes its units and writes their records in time a job would idle (`UnitSealer`), in
/// slices, with the rest at the end; `Parallel` offers that idle time (`whenIdle`) only while another job is busy.
@Suite("Unit sealer and idle work")
struct UnitSealerTests {
  /// Sizes around the slice: empty, one byte, exactly one slice, and two and a half.
  static let sizes = [0, 1, UnitSealer.slice, UnitSealer.slice * 5 / 2]

  /// Files of `sizes` bytes (a pattern, not zeros) in `folder`, with their records' paths.
  static func units(in folder: String) throws -> [(audio: String, record: String, bytes: Data)] {
    try Self.sizes.enumerated().map { n, size in
      let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) })
      let audio = "\(folder)/u\(n).wav"
      try bytes.write(to: URL(fileURLWithPath: audio))
      return (audio, "\(folder)/u\(n).json", bytes)
    }
  }

  static func record(_ path: String) throws -> AlbumUnitRecord {
    try JSONDecoder().decode(AlbumUnitRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test(
    "slices while others are busy hash; each hashed unit's record is written on its own queue, with its file's SHA-256")
  func sealsEveryUnit() throws {
    let folder = Scratch.folder()
    let units = try Self.units(in: folder)
    let sealer = UnitSealer(progress: { _ in })
    for (n, unit) in units.enumerated() {
      sealer.add(
        AlbumUnitRecord(unitId: "u\(n)", song: "s\(n)", frames: Int64(n)), audio: unit.audio, recordPath: unit.record)
    }
    // Three slices while "another job is busy": the empty and one-byte files end, and the first slice of the
    // next; the two ended units' records are written in the background (their fsync holds no job).
    var budget = 3
    sealer.hash {
      budget -= 1
      return budget >= 0
    }
    #expect(budget == -1)
    let deadline = Date().addingTimeInterval(10)
    while !units[0...1].allSatisfy({ FileManager.default.fileExists(atPath: $0.record) }) && Date() < deadline {
      usleep(1000)
    }
    #expect(units[0...1].allSatisfy { FileManager.default.fileExists(atPath: $0.record) })
    #expect(!units[2...].contains { FileManager.default.fileExists(atPath: $0.record) })
    #expect(sealer.finish(jobs: 2).isEmpty)
    for (n, unit) in units.enumerated() {
      let record = try Self.record(unit.record)
      #expect(record.sha256 == Hex.sha256(unit.bytes), "size \(Self.sizes[n])")
      #expect(record.sha256 == (try AlbumUnitRenderer.sha256(ofFile: unit.audio)))
      #expect(record.unitId == "u\(n)" && record.frames == Int64(n))
    }
  }

  @Test("a unit that cannot be read is reported and gets no record; work with nothing queued returns at once")
  func unreadableUnit() throws {
    let folder = Scratch.folder()
    let lines = Mutex<[String]>([])
    let sealer = UnitSealer(progress: { line in lines.withLock { $0.append(line) } })
    var asked = 0
    sealer.hash {
      asked += 1; return true
    }
    #expect(asked == 0)
    sealer.add(
      AlbumUnitRecord(unitId: "abcdef0123456789", song: "s", frames: 1), audio: "\(folder)/missing.wav",
      recordPath: "\(folder)/r.json")
    let problems = sealer.finish(jobs: 2)
    #expect(problems.count == 1 && problems[0].contains("abcdef012345") && problems[0].contains("missing.wav"))
    #expect(lines.withLock { $0 } == problems)
    #expect(!FileManager.default.fileExists(atPath: "\(folder)/r.json"))
  }

  @Test("whenIdle runs on a job that ran out of items while another is busy, and its test turns false when all end")
  func idleWhileOthersAreBusy() {
    for striped in [false, true] {
      let seen = Mutex<[Bool]>([])
      let release = DispatchSemaphore(value: 0)
      let idle: @Sendable (() -> Bool) -> Void = { othersBusy in
        let first = othersBusy()
        // Let the slow item end, then wait for the test to say so.
        release.signal()
        while othersBusy() {}
        seen.withLock { $0.append(first) }
      }
      let body: @Sendable (Int) -> Void = { i in
        // Item 1 runs until the other job is idle (bounded: a pool that never ran the second job fails below).
        if i == 1 { _ = release.wait(timeout: .now() + 20) }
      }
      if striped {
        Parallel.forEach(count: 2, jobs: 2, whenIdle: idle, body)
      } else {
        Parallel.forEach(order: [1, 0], jobs: 2, whenIdle: idle, body)
      }
      // The job that finished first saw the other busy; the last one saw nobody (and signalled no one).
      let results = seen.withLock { $0 }
      #expect(results.sorted { !$0 && $1 } == [false, true], "striped: \(striped)")
    }
  }
}
