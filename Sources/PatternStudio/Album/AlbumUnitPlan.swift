import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

/// The album's work as units (`pstudio album DIR --plan`): the folder's tracks, each compiled once, with its
/// unit id and cost, and a `planHash` over everything the exported files depend on (units, titles, gains,
/// gaps, tags and the export's settings). The same folder and settings print the same bytes on any machine;
/// editing one song changes its unit (and the plan hash) only.
public struct AlbumUnitPlan: Sendable {
  /// What `--plan` prints (camelCase keys, like every JSON Pattern Studio writes).
  public struct Document: Codable, Sendable, Equatable {
    public var planHash: String
    public var engine: Int
    public var title: String
    /// The export's settings, as one line (`flac pcm16 48000 Hz, -14.0 LUFS, -1.0 dBTP`).
    public var settings: String
    public var units: [AlbumUnit]
  }

  public var folder: AlbumPlan
  public var document: Document
  /// Per unit (in track order): the compiled song.
  var compiled: [CompiledPattern]
  var sourceSha256: [String]
  /// Per unit: why its source could not be read (an I/O failure), else nil.
  var unreadable: [String?]
  /// Per unit: its render's estimated single-core time, ns (0 when it does not compile): the order units are
  /// rendered in on this machine, costliest first.
  var costs: [Double]

  public var units: [AlbumUnit] { document.units }
  public var planHash: String { document.planHash }

  /// The plan as `--plan` prints it: stable JSON (sorted keys), the same bytes for the same album.
  public func json() throws -> String { try StableJSON.text(document) }

  /// Reads the album folder and compiles every song (on `options.jobs` threads; the result never depends on it).
  public static func make(dir: String, options: AlbumOptions, renderer: Renderer) throws -> AlbumUnitPlan {
    let folder = try AlbumPlan.load(dir)
    let total = folder.tracks.count
    let settings = RenderSettings(
      format: AudioFormat(container: .wav, encoding: .float32, sampleRate: options.sampleRate), threads: 1,
      masterGainDecibels: 0)
    struct Song: Sendable {
      var compiled: CompiledPattern
      var sha: String
      var unreadable: String?
      var unitId: String
      var title: String
      var frames: Int64
      var cost = 0.0
    }
    let songs = Parallel.map(count: total, jobs: options.jobs) { i -> Song in
      let track = folder.tracks[i]
      let name = (track.source as NSString).lastPathComponent
      guard let source = try? SourceLoader.load(track.source) else {
        let empty = PatternLanguage.SourceFile(name: name, text: "")
        return Song(
          compiled: renderer.compile(empty), sha: "", unreadable: "cannot read \(track.source)",
          unitId: Hex.sha256(text: "unreadable \(name)"), title: AlbumPlan.title(track, song: nil), frames: 0)
      }
      let sha = Hex.sha256(source.bytes)
      let compiled = renderer.compile(source)
      var lines = [
        "pstudio album unit 1", "engine \(EngineVersion.current)", "rate \(options.sampleRate)",
        "stems \(options.stems)", "source \(sha)",
      ]
      if compiled.succeeded {
        // Instrument and sample files by content, never by path (their folders differ between machines).
        let files = renderer.dependencies(of: compiled).map { path -> String in
          let digest = (try? Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)).map(Hex.sha256)
          return "file \((path as NSString).lastPathComponent) \(digest ?? "missing")"
        }
        lines += files.sorted()
      }
      let cost = renderer.cost(compiled, settings: settings)
      return Song(
        compiled: compiled, sha: sha, unreadable: nil, unitId: Hex.sha256(text: lines.joined(separator: "\n")),
        title: AlbumPlan.title(track, song: compiled.succeeded ? compiled.score : nil),
        frames: cost?.frames ?? 0, cost: cost?.nanoseconds ?? 0)
    }
    let units = songs.enumerated().map { i, song in
      AlbumUnit(
        unitId: song.unitId, number: i + 1, song: (folder.tracks[i].source as NSString).lastPathComponent,
        title: song.title,
        output: AlbumPlan.fileName(number: i + 1, of: total, title: song.title, ext: options.container.rawValue),
        frames: song.frames)
    }
    let summary = options.summary
    // Everything the exported files depend on beyond the units: album tags, per-track gains and gaps, settings.
    var hashed = [
      "pstudio album plan 1", "engine \(EngineVersion.current)", summary, "title \(folder.title)",
      "artist \(folder.artist ?? "-")", "year \(folder.year ?? "-")", "genre \(folder.genre ?? "-")",
    ]
    for (unit, track) in zip(units, folder.tracks) {
      hashed.append(
        "\(unit.number) \(unit.unitId) \(unit.song) \(unit.output) \(unit.title) gain \(track.gainDecibels) gap \(track.gapSeconds)"
      )
    }
    let document = Document(
      planHash: Hex.sha256(text: hashed.joined(separator: "\n")), engine: EngineVersion.current, title: folder.title,
      settings: summary, units: units)
    return AlbumUnitPlan(
      folder: folder, document: document, compiled: songs.map(\.compiled), sourceSha256: songs.map(\.sha),
      unreadable: songs.map(\.unreadable), costs: songs.map(\.cost))
  }
}
