/// The version of the sound: bump it whenever a deliberate change alters rendered audio, so golden
/// mismatches can say "the engine changed" rather than leave users guessing.
public enum EngineVersion {
  public static let current = 3
  // 2: the mix (effects, buses, master chain); the shipped drum kit places its hits in the stereo field.
  // 3: the calibrated library (every module's reference note at −20 LUFS), exponential decays and releases,
  //    one sampler voice for JSON, SF2 and SFZ zones (stateful position, filter, modulation).
}
