import Foundation

/// An SFZ instrument read into engine-neutral regions (sfizz's dialect of SFZ).
///
/// Loading never fails on bad content: every problem is a located `ReaderWarning` and the rest is read.
/// Only an unreadable top-level file throws. See `SFZLimits` for the bounds that keep hostile input cheap.
///
/// Conventions of the produced `SamplerRegion`s:
/// - `sample` is `.file(path:)`: `default_path` + `sample=` (backslashes → slashes), relative to the
///   top-level .sfz file's folder, `.`/`..` folded; `sampleRate` is 0 (read it from the audio file).
/// - `tuneCents` = `pitch`/`tune` + 100 · `transpose`; `keyTrackCents` = `pitch_keytrack` (default 100).
/// - `gainDb` = Σ `volume`/`global_volume`/`master_volume`/`group_volume` (dB)
///   + 20·log10(Π `amplitude`… / 100), floored at −144 dB; `pan` = `pan` / 100.
/// - `velocityCurve` = `.sfz(velTrackPercent: amp_veltrack (default 100), points:)` — see
///   `SFZInstrument.velocityGain(velocity:velTrackPercent:points:)` for sfizz's exact formula.
/// - `end`, `loopEnd`: SFZ's inclusive last frame + 1. Loop fields not given in the file are flagged
///   (`loopModeExplicit`, `loopStartExplicit`, `loopEndExplicit`) so the WAV's `smpl` loop can fill them.
/// - Envelopes: seconds and linear levels; `exponentialSpanDb` ≈ 78.17 (see `SFZEnvelopeConvention`).
public struct SFZInstrument: Sendable {
  /// Playable regions in file order.
  public var regions: [SamplerRegion]
  /// Located warnings in file order (unknown opcodes, clamped values, dropped regions, include errors…).
  public var warnings: [ReaderWarning]
  /// Regions dropped without a warning because they can never sound with the controllers at their
  /// defaults: a `loccN`/`hiccN` range excluding `set_ccN` (else 0), `hikey=-1`/`key=-1` (not note
  /// triggered), or `seq_position` > `seq_length`.
  public var gatedOut: Int

  public init(regions: [SamplerRegion], warnings: [ReaderWarning], gatedOut: Int) {
    self.regions = regions
    self.warnings = warnings
    self.gatedOut = gatedOut
  }

  /// Reads the .sfz file at `path`, and its `#include`s, through `readFile` (path → text).
  /// - Throws: only what `readFile` throws for `path` itself.
  public static func load(
    path: String, limits: SFZLimits = SFZLimits(),
    readFile: (String) throws -> String = SFZInstrument.readTextFile
  ) throws -> SFZInstrument {
    let text = try readFile(SFZPath.normalized(SFZPath.slashes(path)))
    return withoutActuallyEscaping(readFile) { parse(text: text, fileName: path, limits: limits, readFile: $0) }
  }

  /// Parses SFZ `text` as if read from `fileName` (its folder is the base of sample and include paths).
  /// Pure: touches no file system unless `readFile` does; `readFile` nil turns `#include` into a warning.
  public static func parse(
    text: String, fileName: String, limits: SFZLimits = SFZLimits(),
    readFile: ((String) throws -> String)? = nil
  ) -> SFZInstrument {
    let file = SFZPath.normalized(SFZPath.slashes(fileName))
    let warnings = WarningLog(limit: limits.maxWarnings)
    let root = SFZPath.directory(of: file)
    let builder = SFZInstrumentBuilder(rootDirectory: root, limits: limits, warnings: warnings)
    SFZSyntaxParser(
      text: text, path: file, rootDirectory: root, limits: limits, warnings: warnings,
      readFile: readFile
    ).run(into: builder)
    builder.finish()
    return SFZInstrument(regions: builder.regions, warnings: warnings.finish(file: file), gatedOut: builder.gatedOut)
  }

  /// The default loader: UTF-8, falling back to ISO Latin-1 (many older .sfz files are not UTF-8).
  public static func readTextFile(_ path: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""

  }

  /// sfizz's amplitude for a note velocity (`RegionStateful.cpp` `velocityCurve`, `Curve.cpp`):
  /// x = velocity/127; c = linear interpolation of `points` (velocity → gain) at the velocity, or x² when
  /// there are none; t = velTrackPercent/100; gain = 1 − t·(1 − c) for t ≥ 0, |t|·(1 − c) for t < 0.
  /// - Returns: linear gain 0 … 1.
  public static func velocityGain(velocity: Int, velTrackPercent: Double, points: [Int: Double]) -> Double {
    let v = min(127, max(0, velocity))
    let curve: Double
    if points.isEmpty {
      let x = Double(v) / 127
      curve = x * x
    } else {
      let full = SFZRegionResolver.velocityPoints(points)
      let below = full.keys.filter { $0 <= v }.max() ?? 0
      let above = full.keys.filter { $0 >= v }.min() ?? 127
      let a = full[below] ?? 0, b = full[above] ?? 1
      curve = above == below ? a : a + (b - a) * Double(v - below) / Double(above - below)
    }
    let t = velTrackPercent / 100
    return t >= 0 ? 1 - t * (1 - curve) : abs(t) * (1 - curve)
  }
}
