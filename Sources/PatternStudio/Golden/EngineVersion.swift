/// The version of the sound: bump it whenever a deliberate change alters rendered audio, so golden
/// mismatches can say "the engine changed" rather than leave users guessing.
public enum EngineVersion {
  public static let current = 1
}
