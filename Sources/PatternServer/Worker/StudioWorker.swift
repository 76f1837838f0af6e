import Foundation
import Glibc
import PatternAudioIO
import PatternLanguage
import PatternStudio

/// The worker side (`pstudio worker`): reads jobs from standard input, answers on standard output, until its
/// input ends. A trap in the engine ends only this process; the server answers that request with a 500 and
/// starts another worker.
public enum StudioWorker {
  /// The environment switch that turns the test-only trap on (`PSTUDIO_TEST_TRAP=1`): a job whose source
  /// contains `pstudio-test-trap` then crashes the worker on purpose. Off, the marker is an ordinary comment.
  public static let testTrapVariable = "PSTUDIO_TEST_TRAP"

  /// Serves jobs until standard input closes.
  ///
  /// - Parameters:
  ///   - instrumentFolders: The server's `--instruments` folders.
  ///   - memoryLimitBytes: The worker's address-space limit (RLIMIT_AS): a job that would use more fails
  ///     inside this process, never in the server's. 0: no limit.
  ///   - replyDescriptor: The server's descriptor of the memory file replies go through (`SharedReply`);
  ///     -1, or one this process cannot open: replies go through standard output.
  public static func run(instrumentFolders: [String], memoryLimitBytes: Int, replyDescriptor: Int32 = -1) {
    // Mapped before the address-space limit is set (the mapping counts toward it: 64 MiB of at least 256).
    let shared = SharedReply.open(serverDescriptor: replyDescriptor)
    WorkerMalloc.keepFreedMemory()
    if memoryLimitBytes > 0 {
      var limit = rlimit(rlim_cur: rlim_t(memoryLimitBytes), rlim_max: rlim_t(memoryLimitBytes))
      setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    }
    let trap = ProcessInfo.processInfo.environment[testTrapVariable] == "1"
    while let (job, _) = try? WorkerFrames.read(STDIN_FILENO, as: WorkerJob.self) {
      if trap && job.code.contains("pstudio-test-trap") { fatalError("the test-only trap (\(testTrapVariable))") }
      let renderer = Renderer(instruments: .standard(extra: instrumentFolders))
      let progress: (Int) -> Void = { percent in
        try? WorkerFrames.write(STDOUT_FILENO, header: WorkerReply(status: .progress, percent: percent))
      }
      guard
        let (reply, payload) = try? perform(
          job, renderer: renderer, region: shared?.region, progress: job.progress == true ? progress : nil)
      else { return }
      do { try WorkerFrames.write(STDOUT_FILENO, header: reply, payload: payload) } catch { return }
    }
  }

  /// One job, in this process (also what a server with no worker executable does itself). A render calls
  /// `progress` with each new whole percent, in order, the last 100. A render's file is encoded into
  /// `region` when it fits there: its reply's `shared` then gives its length and the bytes returned are empty.
  static func perform(
    _ job: WorkerJob, renderer: Renderer, region: UnsafeMutableRawBufferPointer? = nil,
    shouldStop: @escaping () -> Bool = { false }, progress: ((Int) -> Void)? = nil
  ) throws -> (WorkerReply, [UInt8]) {
    let source = SourceFile(name: job.name, text: job.code)
    switch job.kind {
    case .parse:
      var settings = RenderSettings()
      settings.maxSeconds = job.maxSeconds
      let compiled = renderer.check(source, settings: settings)
      let diagnostics = JSONValue.array(compiled.diagnostics.map { $0.json(file: job.name) }).serialized()
      return (
        WorkerReply(
          status: .ok, json: compiled.parseJSON.serialized(), succeeded: compiled.succeeded, diagnostics: diagnostics),
        []
      )
    case .events:
      let compiled = renderer.compile(source)
      guard compiled.succeeded else { return (invalid(compiled.diagnostics, file: job.name), []) }
      let json = renderer.eventsJSON(compiled.score, limit: maxListedEvents)
      return (WorkerReply(status: .ok, json: json.serialized()), [])
    case .midi:
      let compiled = renderer.compile(source)
      guard compiled.succeeded else { return (invalid(compiled.diagnostics, file: job.name), []) }
      do {
        let (bytes, warnings) = try renderer.midi(compiled)
        return (WorkerReply(status: .ok, warnings: warnings.count), bytes)
      } catch {
        return (WorkerReply(status: .failed, message: "\(error)"), [])
      }
    case .render:
      let clock = ContinuousClock()
      let started = clock.now
      let compiled = renderer.compile(source)
      guard compiled.succeeded else { return (invalid(compiled.diagnostics, file: job.name), []) }
      guard let container = AudioContainer(rawValue: job.container), let encoding = SampleEncoding(rawValue: job.bits)
      else { return (WorkerReply(status: .failed, message: "unknown format \(job.container) \(job.bits)"), []) }
      var settings = RenderSettings(
        format: AudioFormat(container: container, encoding: encoding, sampleRate: job.rate),
        threads: min(max(job.threads ?? 1, 1), 64))
      settings.maxSeconds = job.maxSeconds
      settings.tags = AudioTags(
        title: compiled.score.title ?? job.title, artist: compiled.score.artist, album: compiled.score.album,
        software: "Pattern Studio")
      // Encoded in memory (no scratch file) and hashed in the same pass.
      let (memory, hash) = (MemorySink(region: region), HashSink(labelOnly: true))
      var reported = -1
      let report: ((Double) -> Void)? = progress.map { progress in
        { fraction in
          let percent = min(100, max(0, Int(fraction * 100)))
          if percent > reported {
            reported = percent
            progress(percent)
          }
        }
      }
      do {
        let summary = try renderer.render(
          compiled, settings: settings, into: [memory, hash],
          control: RenderControl(progress: report, shouldStop: shouldStop))
        report?(1)
        let elapsed = (clock.now - started).components
        return (
          WorkerReply(
            status: .ok, frames: summary.frames, seconds: summary.durationSeconds,
            elapsed: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18, pcm: hash.label,
            shared: memory.inRegion),
          memory.bytes
        )
      } catch RenderError.invalidInput(let diagnostics) {
        return (invalid(diagnostics, file: job.name), [])
      } catch RenderError.cancelled {
        throw WorkerPool.Failure.stopped
      } catch {
        return (WorkerReply(status: .failed, message: "\(error)"), [])
      }
    }
  }

  /// The most events `POST /api/events` lists (about 7 MB of JSON; a piano roll cannot show more anyway).
  static let maxListedEvents = 20_000

  private static func invalid(_ diagnostics: [Diagnostic], file: String) -> WorkerReply {
    let errors = diagnostics.filter { $0.severity == .error }
    return WorkerReply(
      status: .invalid, json: JSONValue.array(diagnostics.map { $0.json(file: file) }).serialized(),
      message: errors.first.map { $0.oneLine(file: file) } ?? "the pattern has errors")
  }
}
