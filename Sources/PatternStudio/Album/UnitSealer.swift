import Crypto
import Foundation
import PatternAudioIO

#if canImport(Glibc)
  import Glibc
#endif

/// Seals the units a one-machine export renders — each file's SHA-256 into its record, then the record
/// written (`AtomicFile`) — in the time a job would otherwise wait, rather than in the job right after the unit.
///
/// Why: nothing in the album needs the hash (it guards the cache for the next export), and hashing the example
/// album's units is ~100 ms of CPU (175 MB at ~1.8 GB/s) on a path that is CPU-bound on two cores, while a job
/// that ran out of units idles at the album-gain barrier until the other's last unit is measured (~50 ms of a
/// core). Jobs hash in slices of `slice` bytes while another job is still busy (`hash(while:)`), so the barrier
/// moves by at most one slice (~0.6 ms); a hashed unit's record, whose `fsync` waits on the disk, is written on a
/// queue of its own (waiting there costs no core). What is left is hashed by the threads `start` runs once the
/// plan rounds end (up to `jobs` of them, each taking the next unit a slice at a time).
///
/// A unit's record is written only after its file is hashed, as before: an export killed in between leaves the
/// unit without a record, so the next export renders it again.
final class UnitSealer: @unchecked Sendable {
  /// One unit waiting to be hashed; its record goes to `records` when it is.
  private struct Pending {
    var record: AlbumUnitRecord
    var audio: String
    var recordPath: String
    var hasher = SHA256()
    var offset = 0
    var descriptor: Int32 = -1
    /// Whether a thread is working on it now.
    var claimed = false
    var done = false
  }

  /// Bytes hashed between checks: ~0.6 ms of SHA-256 here, so a job returns to the barrier that late at most.
  static let slice = 1 << 20
  private let lock = NSLock()
  private var pending: [Pending] = []
  private var problems: [String] = []
  private var started = false
  private let group = DispatchGroup()
  /// Where records are written, one after another.
  private let records = DispatchQueue(label: "patternstudio.unit-records")
  private let progress: @Sendable (String) -> Void

  /// - Parameter progress: where a unit that cannot be sealed (its record not written) is reported.
  init(progress: @escaping @Sendable (String) -> Void) { self.progress = progress }

  /// Queues a unit whose file at `audio` is complete: `record` (without its SHA-256) goes to `recordPath` once
  /// the file is hashed.
  func add(_ record: AlbumUnitRecord, audio: String, recordPath: String) {
    lock.withLock { pending.append(Pending(record: record, audio: audio, recordPath: recordPath)) }
  }

  /// Starts sealing everything still queued on up to `jobs` threads of its own (once; `finish` waits for them).
  func start(jobs: Int) {
    let threads: Int = lock.withLock {
      guard !started else { return 0 }
      started = true
      return min(jobs, pending.filter { !$0.done }.count)
    }
    for _ in 0..<threads {
      DispatchQueue.global().async(group: group) { self.hash { true } }
    }
  }

  /// Seals everything still queued (starting it on up to `jobs` threads if `start` was not called), waits, and
  /// returns the units that could not be sealed.
  @discardableResult func finish(jobs: Int) -> [String] {
    start(jobs: jobs)
    group.wait()
    // A unit queued after `start` (none in an export: every unit is rendered before the rounds end).
    hash { true }
    records.sync {}
    return lock.withLock { problems }
  }

  /// Hashes queued units, a slice at a time, while `keepGoing()` is true and a file is left to hash.
  func hash(while keepGoing: () -> Bool) {
    guard lock.withLock({ pending.contains { !$0.claimed && !$0.done } }) else { return }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.slice, alignment: 64)
    defer { buffer.deallocate() }
    while keepGoing(), step(buffer) {}
  }

  /// Claims a unit and hashes its next slice into `buffer` (`slice` bytes); when its file ends, its record goes
  /// to `records` to be written. False when there was nothing to claim.
  private func step(_ buffer: UnsafeMutableRawPointer) -> Bool {
    let claim: (index: Int, item: Pending)? = lock.withLock {
      guard let i = pending.firstIndex(where: { !$0.claimed && !$0.done }) else { return nil }
      pending[i].claimed = true
      return (i, pending[i])
    }
    guard case (let index, var item)? = claim else { return false }
    switch hash(&item, buffer) {
    case .more: break
    case .ended:
      item.record.sha256 = Hex.string(item.hasher.finalize())
      item.done = true
      let (record, path) = (item.record, item.recordPath)
      records.async(group: group) {
        do {
          try AtomicFile.write(text: try StableJSON.text(record), to: path)
        } catch {
          self.report("\(record.unitId.prefix(12)): unit not kept for the next export: \(error)")
        }
      }
    case .failed(let why):
      report("\(item.record.unitId.prefix(12)): unit not kept for the next export: \(why)")
      item.done = true
    }
    lock.withLock {
      item.claimed = false
      pending[index] = item
    }
    return true
  }

  /// What one slice did.
  private enum Step {
    case more, ended
    case failed(String)
  }

  /// Hashes the next `slice` bytes of `item`'s file through `buffer`, closing the file when it ends or fails.
  private func hash(_ item: inout Pending, _ buffer: UnsafeMutableRawPointer) -> Step {
    if item.descriptor < 0 {
      item.descriptor = open(item.audio, O_RDONLY | O_CLOEXEC)
      guard item.descriptor >= 0 else { return .failed("cannot open \(item.audio): errno \(errno)") }
    }
    var filled = 0
    while filled < Self.slice {
      let n = pread(item.descriptor, buffer + filled, Self.slice - filled, off_t(item.offset + filled))
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else {
        let why = "cannot read \(item.audio): errno \(errno)"
        close(item.descriptor)
        return .failed(why)
      }
      if n == 0 { break }
      filled += n
    }
    item.hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: filled))
    item.offset += filled
    guard filled < Self.slice else { return .more }
    close(item.descriptor)
    return .ended
  }

  private func report(_ problem: String) {
    lock.withLock { problems.append(problem) }
    progress(problem)
  }
}
