import Foundation
import PatternAudioIO

/// One 32-bit float WAV per track (block), before the master stage — stems that add up to the mix — written
/// in the same pass as the mix itself, each through a temporary file renamed when the render completes.
public final class StemSink: RenderSink {
  public let folder: String
  private var writers: [AudioFileWriter] = []
  /// The files written, in track order.
  public private(set) var paths: [String] = []

  /// - Parameter folder: Created if missing; stems are named `NN - TRACK.wav`.
  public init(folder: String) { self.folder = folder }

  public var wantsTracks: Bool { true }

  public func begin(_ render: RenderStart) throws {
    try AtomicFile.createFolder(folder)
    TemporaryFiles.sweep(folder: folder)
    let format = AudioFormat(container: .wav, encoding: .float32, sampleRate: render.settings.sampleRate)
    paths = render.trackNames.enumerated().map { t, name in
      (folder as NSString).appendingPathComponent(String(format: "%02d - ", t + 1) + name + ".wav")
    }
    writers = try paths.map { try AudioFileWriter(path: $0, format: format) }
  }

  public func write(_ chunk: RenderChunk) throws {
    for (writer, track) in zip(writers, chunk.tracks) { try writer.write(.float32(track)) }
  }

  public func finish() throws { for writer in writers { try writer.finish() } }

  public func cancel() { for writer in writers { writer.cancel() } }
}
