import Crypto
import Foundation
import PatternAudioIO
import PatternEngine
import PatternLanguage

/// A song's golden file (`song.golden.json`): how it was rendered and what came out, in enough detail for
/// `verify` to say where and why audio changed.
public struct GoldenRecord: Codable, Equatable, Sendable {
  public var format = "pattern-studio-golden/1"
  public var engine: Int
  public var source: String
  public var settings: GoldenSettings
  /// `pcm-s16-48000-2:sha256:…` of the PCM exactly as written (not the file: tags and container don't count).
  public var pcm: String
  public var frames: Int64
  public var seconds: Double
  public var peakDbfs: Double
  public var rmsDbfs: Double
  public var events: GoldenEvents
  /// Bars of the song's meter map, numbered across meter changes (the last one named `tail` holds everything
  /// after the last bar's end).
  public var bars: [GoldenSegment]
  public var sections: [GoldenSegment]
  public var blocks: GoldenBlocks
}

public struct GoldenEvents: Codable, Equatable, Sendable {
  public var count: Int
  /// SHA-256 of every event's sound-relevant text (no source locations), one per line.
  public var sha256: String
  /// 8 hex digits per event, in order: finds the first event that differs.
  public var each: String
}

public struct GoldenSegment: Codable, Equatable, Sendable {
  public var name: String
  public var start: Int64
  public var frames: Int64
  public var digest: String
  public var peakDbfs: Double
  public var rmsDbfs: Double
}

public struct GoldenBlocks: Codable, Equatable, Sendable {
  public var frames: Int64
  /// 8 hex digits per block.
  public var digests: String
}

extension GoldenRecord {
  /// Stable JSON text: sorted keys, pretty-printed, ending in a newline.
  public func jsonText() throws -> String { try StableJSON.text(self) }

  public static func read(path: String) throws -> GoldenRecord {
    try JSONDecoder().decode(GoldenRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }
}
