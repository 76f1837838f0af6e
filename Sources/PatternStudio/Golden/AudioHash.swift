import PatternAudioIO

/// Hashes an existing audio file's samples the way renders are hashed (`PCMHasher`): tags and container do
/// not matter, only the samples and their format.
public enum AudioHash {
  public static func fingerprint(path: String) throws -> PCMFingerprint {
    let info = try AudioFileReader.info(path: path)
    guard let encoding = SampleEncoding(rawValue: info.encoding) else {
      throw AudioIOError(.read, path: path, detail: "only 16-bit, 24-bit and float WAV/FLAC files can be hashed")
    }
    var hasher = PCMHasher(encoding: encoding, sampleRate: info.sampleRate, channels: info.channels)
    switch encoding {
    case .float32:
      let samples = try AudioFileReader.readFloat(path: path).samples
      samples.withUnsafeBufferPointer { hasher.add(.float32($0)) }
    case .pcm16:
      // libsndfile reads 16-bit samples as s << 16.
      let samples = try AudioFileReader.readInt32(path: path).samples.map { Int16(truncatingIfNeeded: $0 >> 16) }
      samples.withUnsafeBufferPointer { hasher.add(.int16($0)) }
    case .pcm24:
      // 24-bit samples read as s << 8: the top-bits layout `PCMChunk.int24` uses.
      let samples = try AudioFileReader.readInt32(path: path).samples
      samples.withUnsafeBufferPointer { hasher.add(.int24($0)) }
    }
    return hasher.finish()
  }
}
