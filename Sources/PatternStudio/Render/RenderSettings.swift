import PatternAudioIO
import PatternEngine

/// Everything that decides what a render sounds like and how it is stored: the one settings type of the
/// facade. The engine's part is kept as it is (`engine`), so nothing is copied field by field on the way in.
///
/// Which seed drives what: a song's `seed N;` keys every noise stream and random choice; the dither of 16- and
/// 24-bit output is keyed by `Master.ditherSeed` and the sample index only. There is no seed setting here.
public struct RenderSettings: Hashable, Sendable {
  /// The file container that file and in-memory sinks write (WAV or FLAC).
  public var container: AudioContainer
  /// How samples are quantised (16/24-bit with dither) or kept (32-bit float).
  public var encoding: SampleEncoding
  /// Text tags for written files.
  public var tags: AudioTags
  /// What the engine needs (rate, block size, threads, master gain, solo, limits).
  package var engine: EngineSettings

  /// Frames per voice-loop dispatch when not told otherwise (the fastest measured; see `EngineSettings`).
  public static let defaultBlockSize = EngineSettings.defaultBlockSize

  /// - Parameters:
  ///   - format: Container, encoding and sample rate (stereo).
  ///   - blockSize: Frames per voice-loop dispatch, 1 … 65536 (never changes the output).
  ///   - threads: Worker threads, ≥ 1 (never change the output).
  ///   - masterGainDecibels: Master gain in dB before the limiter.
  public init(
    format: AudioFormat = AudioFormat(container: .wav, encoding: .pcm16, sampleRate: 48_000),
    blockSize: Int = RenderSettings.defaultBlockSize, threads: Int = 2, masterGainDecibels: Double = 0,
    tags: AudioTags = AudioTags()
  ) {
    container = format.container
    encoding = format.encoding
    self.tags = tags
    engine = EngineSettings(
      sampleRate: format.sampleRate, blockSize: blockSize, threads: threads, masterGainDecibels: masterGainDecibels)
  }

  /// Container, encoding and rate together (always stereo).
  public var format: AudioFormat {
    get { AudioFormat(container: container, encoding: encoding, sampleRate: engine.sampleRate) }
    set {
      container = newValue.container
      encoding = newValue.encoding
      engine.sampleRate = newValue.sampleRate
    }
  }

  /// Frames per second.
  public var sampleRate: Int {
    get { engine.sampleRate }
    set { engine.sampleRate = newValue }
  }

  /// Frames per voice-loop dispatch, 1 … 65536 (never changes the output).
  public var blockSize: Int {
    get { engine.blockSize }
    set { engine.blockSize = newValue }
  }

  /// Worker threads, ≥ 1 (never change the output).
  public var threads: Int {
    get { engine.threads }
    set { engine.threads = newValue }
  }

  /// Master gain in dB before the limiter.
  public var masterGainDecibels: Double {
    get { engine.masterGainDecibels }
    set { engine.masterGainDecibels = newValue }
  }

  /// A look-ahead true-peak limiter at this ceiling (dBTP) after the master gain, at the end of the master
  /// chain: what `render --loudness` and album normalisation use when the ceiling would bind. nil: none.
  public var truePeakCeiling: Double? {
    get { engine.masterCeiling }
    set { engine.masterCeiling = newValue }
  }

  /// Render only this track (an index into `Score.tracks`); nil: all.
  public var soloTrack: Int? {
    get { engine.soloTrack }
    set { engine.soloTrack = newValue }
  }

  /// Skip the master stage (gain, limiter): the plain sum of the tracks.
  public var bypassMaster: Bool {
    get { engine.bypassMaster }
    set { engine.bypassMaster = newValue }
  }

  /// At least this many frames (silence after the last voice).
  public var minimumFrames: Int64 {
    get { engine.minimumFrames }
    set { engine.minimumFrames = newValue }
  }

  /// The longest song a render may produce, in seconds; longer is a diagnostic at the note that passes it.
  public var maxSeconds: Double {
    get { engine.limits.maxSeconds }
    set { engine.limits.maxSeconds = newValue }
  }

  /// The most notes one track may sound at once; more is a diagnostic.
  public var maxNotesPerTrack: Int {
    get { engine.limits.maxVoicesPerLane * 2 }
    set { engine.limits.maxVoicesPerLane = max(1, newValue / 2) }
  }
}
