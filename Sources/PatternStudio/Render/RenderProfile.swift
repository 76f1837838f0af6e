import PatternEngine
import Synchronization

/// Where a render's wall time goes, phase by phase: what `pstudio render --profile` prints and
/// `Scripts/bench --profile` tabulates. Measuring costs two clock reads per chunk and phase (a few
/// microseconds per render), so it is never switched into the audio path: nothing here changes a sample.
///
/// Phases on the rendering thread add up to its wall time; the writer thread's phases (`quantize`, `encode`)
/// overlap them, and `writerWait` is what the rendering thread spent on the writer: waiting for a free slot, or
/// quantising chunks for a writer that is behind (those count in `quantize` too).
public final class RenderProfile: Sendable {
  /// One phase of a render, in the order a render passes through them.
  public enum Phase: Int, CaseIterable, Sendable {
    /// Reading the song's source file.
    case read
    /// Finding and loading the instrument library (built-ins, instrument files, SoundFont and SFZ listings), on the
    /// rendering thread: while the helper thread parses a large song's first parts, when the song's header names them.
    case library
    /// Lexing, parsing, resolving and expanding the song into a score: the rendering thread's time in it, not
    /// counting the instruments it loaded meanwhile (`library`).
    case compile
    /// Scheduling voices, converting sample rates, building lanes and the mix graph.
    case schedule
    /// Synthesis on the rendering thread, plus waiting for the worker lanes (the critical path).
    case synthesis
    /// Summing lanes into tracks, effects, buses and the master chain.
    case mix
    /// The master stage: gain, safety limiter, interleaving, peak and RMS.
    case master
    /// Handing chunks to the writer: copying into a pipeline slot, and waiting when all slots are full.
    case writerWait
    /// The rest of the render loop: handing ring slots back to the workers, progress reports, and the
    /// rendering thread waiting for a core (on a busy machine).
    case handoff
    /// Writer thread: dither and quantisation (overlaps rendering).
    case quantize
    /// Writer thread: encoding and writing to the page cache, hashing, metering (overlaps rendering).
    case encode
    /// Waiting for the writer to empty its queue after the last chunk.
    case drain
    /// Closing the file and flushing it to disk (`fsync`).
    case sync
    /// Renaming the finished file over its destination.
    case rename

    /// The phase's name in tables and JSON.
    public var name: String {
      switch self {
      case .read: "read"
      case .library: "library"
      case .compile: "compile"
      case .schedule: "schedule"
      case .synthesis: "synthesis"
      case .mix: "mix"
      case .master: "master"
      case .writerWait: "writerWait"
      case .handoff: "handoff"
      case .quantize: "quantize"
      case .encode: "encode"
      case .drain: "drain"
      case .sync: "sync"
      case .rename: "rename"
      }
    }

    /// Whether the phase runs on the writer thread, overlapping the rendering thread's phases.
    public var overlaps: Bool { self == .quantize || self == .encode }
  }

  private let totals = Mutex<[Duration]>(Array(repeating: .zero, count: Phase.allCases.count))
  private let clock = ContinuousClock()

  public init() {}

  /// Adds `duration` to `phase`.
  public func add(_ phase: Phase, _ duration: Duration) {
    totals.withLock { $0[phase.rawValue] += duration }
  }

  /// Runs `body`, adding its wall time to `phase`.
  public func measure<T, E: Error>(_ phase: Phase, _ body: () throws(E) -> T) throws(E) -> T {
    let started = clock.now
    defer { add(phase, clock.now - started) }
    return try body()
  }

  /// Seconds spent in `phase` so far.
  public func seconds(_ phase: Phase) -> Double { totals.withLock { $0[phase.rawValue] }.seconds }
}

extension RenderProfile? {
  /// `body`, timed into `phase` when there is a profile (the common case, none, costs one branch).
  public func measure<T, E: Error>(_ phase: RenderProfile.Phase, _ body: () throws(E) -> T) throws(E) -> T {
    guard let profile = self else { return try body() }
    return try profile.measure(phase, body)
  }
}
