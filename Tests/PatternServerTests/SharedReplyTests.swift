import Foundation
import NIOCore
import PatternStudio
import Synchronization
import TestSupport
import Testing

@testable import PatternServer

/// A worker's render reaches the server through the shared memory file when it fits and through the pipe when
/// it does not, with the bytes an in-process render gives either way.
@Suite("Worker replies through shared memory")
struct SharedReplyTests {
  /// `seconds` of one held note (a long file that renders fast).
  static func song(seconds: Int) -> String {
    "import pad from \"pad\";\ntempo 60;\nmelody { pad C3 0 dur=\(seconds); pad G3 1 dur=2; }\n"
  }

  static func job(_ code: String, bits: String, rate: Int) -> WorkerJob {
    var job = WorkerJob(kind: .render, name: "pattern", code: code)
    job.bits = bits
    job.rate = rate
    job.threads = 2
    return job
  }

  /// The file an in-process render of `job` gives (no worker, no shared file).
  static func inProcess(_ job: WorkerJob) throws -> [UInt8] {
    let (reply, bytes) = try StudioWorker.perform(job, renderer: ServerConfiguration().renderer)
    #expect(reply.status == .ok && reply.shared == nil)
    return bytes
  }

  @Test("renders that fit come through the file (a shorter one after a longer), a larger one through the pipe")
  func sharedThenPipe() throws {
    let pool = WorkerPool(
      executable: ProcessRunner.pstudioServer, instrumentFolders: [], memoryLimitMB: 1536, maxPayload: 1 << 30)
    // 20 s, then 3 s into the same file (the rest of the first must not show), then 100 s of 32-bit float at
    // 96 kHz: 76.8 MB, more than the file takes.
    let jobs = [
      Self.job(Self.song(seconds: 20), bits: "16", rate: 48_000),
      Self.job(Self.song(seconds: 3), bits: "24", rate: 44_100),
      Self.job(Self.song(seconds: 100), bits: "32f", rate: 96_000),
    ]
    for (k, job) in jobs.enumerated() {
      let (reply, buffer) = try pool.perform(job, shouldStop: { false })
      let expected = try Self.inProcess(job)
      #expect(reply.status == .ok)
      #expect(Array(buffer.readableBytesView) == expected, "job \(k)")
      if expected.count <= SharedReply.maxBytes {
        #expect(reply.shared == expected.count, "job \(k) came through the pipe")
      } else {
        #expect(reply.shared == nil, "job \(k) claims the file")
      }
    }
    #expect(pool.crashes.load(ordering: .relaxed) == 0)
  }

  @Test("a worker whose file cannot be opened, or is too small, answers through the pipe")
  func noFile() throws {
    #expect(SharedReply.open(serverDescriptor: -1) == nil)
    // A descriptor number this test's parent process does not have open (`open` looks in the parent's /proc).
    #expect(SharedReply.open(serverDescriptor: 1_000_000) == nil)
    let job = Self.job(Self.song(seconds: 2), bits: "16", rate: 48_000)
    let region = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 64)
    defer { region.deallocate() }
    let (reply, bytes) = try StudioWorker.perform(job, renderer: ServerConfiguration().renderer, region: region)
    #expect(reply.shared == nil)
    #expect(bytes == (try Self.inProcess(job)))
  }

  @Test("the server's file is sized and sealed; a worker given another file's descriptor leaves it alone")
  func wrongDescriptor() throws {
    let shared = try #require(SharedReply.create())
    #expect(lseek(shared.fd, 0, SEEK_END) == off_t(SharedReply.maxBytes))
    // F_GET_SEALS: shrinking and growing are sealed.
    #expect(fcntl(shared.fd, 1034) & 6 == 6)
    // A worker started by this test process with one of its ordinary files as `--reply-fd`.
    let path = Scratch.folder() + "/not-a-reply-file"
    #expect(FileManager.default.createFile(atPath: path, contents: Data("keep".utf8)))
    let fd = open(path, O_RDWR)
    defer { close(fd) }
    let (input, output, errors) = (Pipe(), Pipe(), Pipe())
    let worker = Process()
    worker.executableURL = URL(fileURLWithPath: ProcessRunner.pstudioServer)
    worker.arguments = ["worker", "--reply-fd", "\(fd)"]
    (worker.standardInput, worker.standardOutput, worker.standardError) = (input, output, errors)
    try worker.run()
    let job = Self.job(Self.song(seconds: 2), bits: "16", rate: 48_000)
    try WorkerFrames.write(input.fileHandleForWriting.fileDescriptor, header: job)
    let (reply, payload) = try #require(
      try WorkerFrames.read(output.fileHandleForReading.fileDescriptor, as: WorkerReply.self))
    try input.fileHandleForWriting.close()
    worker.waitUntilExit()
    #expect(reply.status == .ok && reply.shared == nil)
    #expect(Array(payload.readableBytesView) == (try Self.inProcess(job)))
    #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
    let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(said.contains("not its sealed reply file"), "\(said)")
  }
}
