/// The version of the sound: bump it whenever a deliberate change alters rendered audio, so golden
/// mismatches can say "the engine changed" rather than leave users guessing.
public enum EngineVersion {
  public static let current = 2
  // 2: the mix (effects, buses, master chain); the shipped drum kit places its hits in the stereo field.
}
