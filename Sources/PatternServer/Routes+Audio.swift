import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PatternAudioIO
import PatternLanguage
import PatternStudio

extension StudioServer {
  /// `POST /api/render`: the audio file's bytes (`audio/wav` or `audio/flac`), its PCM hash in `X-PCM-Hash`.
  @Sendable func render(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let body = try await request.decodeJSON(ExportBody.self, limit: configuration.maxBodyBytes)
    let format = try Self.audioFormat(body)
    let (source, title, patternID) = try await exportSource(body, context: context)
    context.logger.debug(
      "render", metadata: ["source": "\(Self.preview(String(decoding: source.bytes, as: UTF8.self)))"])
    var job = WorkerJob(kind: .render, name: source.name, code: String(decoding: source.bytes, as: UTF8.self))
    job.title = title
    job.container = format.container.rawValue
    job.bits = format.encoding.rawValue
    job.rate = format.sampleRate
    job.maxSeconds = configuration.maxSeconds(for: format)
    // A render of a saved pattern (by id or share link) streams its progress to `GET /api/live?id=` listeners.
    var progress: (@Sendable (Int) -> Void)?
    if let id = patternID {
      job.progress = true
      progress = { [live] percent in live.publish(id, LiveHub.progress(id: id, percent: percent)) }
    }
    let deadline = ContinuousClock.now + .seconds(configuration.requestTimeoutSeconds)
    let reply: WorkerReply
    let bytes: ByteBuffer
    do {
      (reply, bytes) = try await renders.withSlot(timeout: .seconds(configuration.queueTimeoutSeconds)) { [job] in
        var job = job
        job.threads = renderThreads()
        return try await self.work(job, deadline: deadline, logger: context.logger, progress: progress)
      }
    } catch let refusal as RenderGate.Refusal {
      throw Self.busy(refusal, what: "renders")
    } catch WorkerPool.Failure.stopped {
      throw APIError(
        status: .serviceUnavailable, code: "timeout",
        message: "the render took longer than \(Int(configuration.requestTimeoutSeconds)) seconds",
        headers: [.retryAfter: "5"])
    }
    // The engine's own limits (longest song, notes at once) come back as diagnostics too.
    try Self.check(reply, file: source.name)
    let rendered = (
      bytes: bytes,
      summary: (frames: reply.frames ?? 0, durationSeconds: reply.seconds ?? 0), pcm: reply.pcm ?? ""
    )
    context.logger.info(
      "rendered",
      metadata: [
        "seconds": "\(String(format: "%.2f", rendered.summary.durationSeconds))",
        "bytes": "\(rendered.bytes.readableBytes)",
        "pcm": "\(rendered.pcm)",
      ])
    let ext = format.container.rawValue
    var headers: HTTPFields = [
      .contentType: ext == "flac" ? "audio/flac" : "audio/wav",
      .contentDisposition: "attachment; filename=\"\(Self.fileName(title))" + ".\(ext)\"",
      .pcmHash: rendered.pcm,
      .renderFrames: "\(rendered.summary.frames)",
      .renderSeconds: String(format: "%.3f", rendered.summary.durationSeconds),
    ]
    headers[.renderTime] = String(format: "%.3f", reply.elapsed ?? 0)
    headers[.cacheControl] = "no-store"
    return Response(
      status: .ok, headers: headers, body: ResponseBody(byteBuffer: rendered.bytes))
  }

  /// Threads for a render that just took its slot: the cores shared among the renders running now (this one
  /// included), so a render alone on the server uses every core and two at once one each. A render already
  /// running keeps its threads when another starts (briefly more threads than cores; the PCM never depends on
  /// it).
  func renderThreads() -> Int {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    return max(1, cores / max(1, renders.load.active))
  }

  /// `POST /api/events`: the `pstudio events --format json` object of a song (repeats, motifs and chords
  /// expanded; each event's start and end in beats and seconds, and its source line and column).
  @Sendable func events(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let (reply, _, _) = try await compileOnly(.events, request: request, context: context)
    return .json(.raw(reply.json ?? "{}"))
  }

  /// `POST /api/midi`: the Standard MIDI File of the same events (`audio/midi`).
  @Sendable func midi(_ request: Request, context: StudioRequestContext) async throws -> Response {
    let (reply, bytes, title) = try await compileOnly(.midi, request: request, context: context)
    let warnings = reply.warnings ?? 0
    return Response(
      status: .ok,
      headers: [
        .contentType: "audio/midi",
        .contentDisposition: "attachment; filename=\"\(Self.fileName(title)).mid\"",
        .midiWarnings: "\(warnings)",
      ],
      body: ResponseBody(byteBuffer: bytes))
  }

  /// A compile-only job (`events`, `midi`) on the source an `ExportBody` names: the worker's reply (its errors
  /// already thrown as the API's), its bytes, and the title for a file name.
  func compileOnly(_ kind: WorkerJob.Kind, request: Request, context: StudioRequestContext) async throws
    -> (WorkerReply, ByteBuffer, String)
  {
    let body = try await request.decodeJSON(ExportBody.self, limit: configuration.maxBodyBytes)
    let (source, title, _) = try await exportSource(body, context: context)
    let job = WorkerJob(kind: kind, name: source.name, code: String(decoding: source.bytes, as: UTF8.self))
    let (reply, bytes) = try await compileWork(job, logger: context.logger)
    try Self.check(reply, file: source.name)
    return (reply, bytes, title)
  }

  /// The source of an export: `pattern_code`, the saved pattern `id` (at `version`) of the request's user, or
  /// the pattern a `share` link opens (no account needed); a title for the file; and the saved pattern's id.
  func exportSource(_ body: ExportBody, context: StudioRequestContext) async throws
    -> (SourceFile, String, String?)
  {
    switch (body.patternCode, body.id, body.share) {
    case (let code?, nil, nil):
      guard body.version == nil else { throw APIError.badRequest("'version' goes with 'id', not 'pattern_code'") }
      _ = try owner(context)
      return (try sourceFile(code), "pattern", nil)
    case (nil, let id?, nil):
      _ = try checkedVersion(body.version, field: "version")
      let user = try owner(context)
      guard PatternID.isWellFormed(Substring(id)) else { throw APIError.notFound("no pattern with id '\(id)'") }
      let stored = try await stored(id: id, version: body.version, owner: user)
      return (try sourceFile(stored.patternCode), stored.name, id)
    case (nil, nil, let token?):
      guard body.version == nil else { throw APIError.badRequest("'version' goes with 'id', not 'share'") }
      let stored = try await sharedPattern(token)
      return (try sourceFile(stored.patternCode), stored.name, stored.id)
    case (.some, .some, nil):
      throw APIError.badRequest("give either 'pattern_code' or 'id', not both")
    case (nil, nil, nil):
      throw APIError.badRequest("missing field 'pattern_code' (or 'id' of a saved pattern, or 'share')")
    default:
      throw APIError.badRequest("give exactly one of 'pattern_code', 'id' and 'share'")
    }
  }

  /// `format` wav|flac (default wav), `rate` in Hz (default 48000), `bits` 16|24|32f (default 16).
  static func audioFormat(_ body: ExportBody) throws -> AudioFormat {
    let formatName = body.format ?? "wav"
    guard let container = AudioContainer(rawValue: formatName) else {
      throw APIError.badRequest("'format' must be \"wav\" or \"flac\" (got \"\(formatName)\")")
    }
    let bitsName = body.bits?.value ?? "16"
    guard let encoding = SampleEncoding(rawValue: bitsName) else {
      throw APIError.badRequest("'bits' must be 16, 24 or \"32f\" (got \(bitsName))")
    }
    if container == .flac && encoding == .float32 {
      throw APIError.badRequest("FLAC stores integers only: 'bits' must be 16 or 24 for flac")
    }
    let format = AudioFormat(container: container, encoding: encoding, sampleRate: body.rate ?? 48_000)
    if let reason = format.unsupportedReason { throw APIError.badRequest(reason) }
    return format
  }

  /// A name safe in a `Content-Disposition` header: ASCII letters, digits, space, `-_.()`; others become `_`.
  static func fileName(_ title: String) -> String {
    let safe = title.unicodeScalars.map { s -> Character in
      s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil || " -_.()".unicodeScalars.contains(s))
        ? Character(s) : "_"
    }
    let name = String(safe.prefix(100)).trimmingCharacters(in: .whitespaces)
    return name.isEmpty ? "pattern" : name
  }
}
