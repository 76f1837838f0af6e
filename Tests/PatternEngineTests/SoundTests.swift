import Foundation
import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Sound: pitch, levels, limiter")
struct SoundTests {
  /// Frequency from rising zero crossings (linearly interpolated) over the steady part of the signal.
  func measuredFrequency(_ x: [Float], rate: Double, from: Int, to: Int) -> Double {
    var crossings: [Double] = []
    for i in from..<(to - 1) where x[i] < 0 && x[i + 1] >= 0 {
      crossings.append(Double(i) + Double(-x[i] / (x[i + 1] - x[i])))
    }
    guard crossings.count > 2 else { return 0 }
    return Double(crossings.count - 1) / ((crossings.last! - crossings.first!) / rate)
  }

  /// Frequency from the autocorrelation peak near the expected period (parabolic interpolation), robust
  /// to the rich spectra of plucked strings and pianos.
  func autocorrelationFrequency(_ x: [Float], rate: Double, expected: Double, from: Int, length: Int) -> Double {
    let p = rate / expected
    var best = (lag: 0, value: -Double.infinity)
    var values: [Int: Double] = [:]
    for lag in Int(p * 0.8)...Int(p * 1.25) + 1 {
      var sum = 0.0
      for n in from..<(from + length) { sum += Double(x[n]) * Double(x[n + lag]) }
      values[lag] = sum
      if sum > best.value { best = (lag, sum) }
    }
    let a = values[best.lag - 1]!, b = best.value, c = values[best.lag + 1]!
    let shift = 0.5 * (a - c) / (a - 2 * b + c)
    return rate / (Double(best.lag) + shift)
  }

  /// The strongest frequency within ±3 % of `around`, by a fine DFT scan over a Hann-windowed segment.
  func spectralPeak(_ x: [Float], rate: Double, around: Double, from: Int, length: Int) -> Double {
    var best = (f: 0.0, power: -1.0)
    var f = around * 0.97
    while f < around * 1.03 {
      var re = 0.0
      var im = 0.0
      let w = 2 * Double.pi * f / rate
      for n in 0..<length {
        let hann = 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(length))
        let v = Double(x[from + n]) * hann
        re += v * cos(w * Double(n))
        im -= v * sin(w * Double(n))
      }
      if re * re + im * im > best.power { best = (f, re * re + im * im) }
      f += around * 0.0002
    }
    return best.f
  }

  func cents(_ f: Double, _ reference: Double) -> Double {
    1200 * log2(f / reference)
  }

  @Test("A4 sounds at 440 Hz within 1 cent on every oscillator", arguments: ["sine", "triangle", "saw", "square"])
  func a440(instrument: String) {
    for rate in [44_100, 48_000, 96_000] {
      let out = leftChannel(
        renderFloat(score("melody { \(instrument) A4 0 dur=2; }"), settings: EngineSettings(sampleRate: rate)))
      let f = measuredFrequency(out, rate: Double(rate), from: rate / 4, to: rate * 2 - rate / 10)
      #expect(abs(cents(f, 440)) < 1, "\(instrument) at \(rate) Hz measured \(f) Hz")
    }
  }

  @Test("the plucked string and the piano are in tune")
  func pluckedAndPianoTuning() {
    let guitar = leftChannel(renderFloat(score("melody { guitar A3 0 dur=1; }")))
    let fg = autocorrelationFrequency(guitar, rate: 48_000, expected: 220, from: 2_400, length: 9_600)
    #expect(abs(cents(fg, 220)) < 5, "guitar A3 measured \(fg) Hz")
    // After the hammer noise has died away.
    let piano = leftChannel(renderFloat(score("melody { piano A4 0 dur=1; }")))
    let fp = spectralPeak(piano, rate: 48_000, around: 440, from: 4_800, length: 24_000)
    #expect(abs(cents(fp, 440)) < 5, "piano A4 measured \(fp) Hz")
  }

  /// Power of `x` at `frequency` over a Hann-windowed segment (one DFT bin, any frequency).
  func power(_ x: [Float], rate: Double, at frequency: Double, from: Int, length: Int) -> Double {
    var re = 0.0
    var im = 0.0
    let w = 2 * Double.pi * frequency / rate
    for n in 0..<length {
      let v = Double(x[from + n]) * (0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(length)))
      re += v * cos(w * Double(n))
      im -= v * sin(w * Double(n))
    }
    return re * re + im * im
  }

  @Test("the noise instrument's resonant low-pass peaks at the note and cuts far above it")
  func resonantLowPass() {
    for (note, hz) in [("C5", 523.25), ("A6", 1760.0)] {
      let out = leftChannel(renderFloat(score("melody { noise \(note) 0 dur=2; }")))
      // Average a few bins around each frequency: white noise makes single bins jumpy.
      func band(_ f: Double) -> Double {
        (-2...2).map { power(out, rate: 48_000, at: f * (1 + 0.01 * Double($0)), from: 9_600, length: 38_400) }
          .reduce(0, +)
      }
      let atNote = band(hz)
      let octaveBelow = band(hz / 2)
      let farAbove = band(hz * 8)
      #expect(atNote > 2 * octaveBelow, "\(note): resonance \(atNote) vs an octave below \(octaveBelow)")
      #expect(atNote > 100 * farAbove, "\(note): \(atNote) vs three octaves above \(farAbove)")
    }
  }

  @Test("the limiter never lets a sample reach full scale")
  func limiterHolds() {
    let chord = (36..<84).map { "saw \($0) 0 dur=1;" }.joined(separator: " ")
    let out = renderFloat(score("melody { \(chord) }"), settings: EngineSettings(masterGainDecibels: 24))
    let peak = out.map { abs($0) }.max() ?? 0
    #expect(peak < 1)
    #expect(peak > 0.99)
    #expect(Master.limit(1e9) < 1)
    #expect(Master.limit(-1e9) > -1)
    #expect(Master.limit(0.5) == 0.5)
  }

  @Test("quantisation stays within the integer range and dither is seeded")
  func quantise() {
    let input: [Float] = [0.999_999, -0.999_999, 0, 0.5, -0.5, 0.25]
    var a = [Int16](repeating: 0, count: 6)
    var b = [Int16](repeating: 0, count: 6)
    input.withUnsafeBufferPointer { inp in
      a.withUnsafeMutableBufferPointer { Master.quantize16(inp, channels: 2, firstFrame: 10, seed: 5, into: $0) }
      b.withUnsafeMutableBufferPointer { Master.quantize16(inp, channels: 2, firstFrame: 10, seed: 5, into: $0) }
    }
    #expect(a == b)
    #expect(abs(Int(a[3]) - 16_384) <= 1)
    #expect(a[0] >= 32_765)
  }

  @Test("16-bit quantisation: the vector loops, with and without clamps, equal the scalar path at every sample")
  func quantiseVectorsMatchScalar() {
    var state: UInt64 = 7
    let quiet = (0..<4_003).map { _ -> Float in
      state = NoiseHash.mix(state)
      return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) * 0.9
    }
    // Near and past full scale, infinities and NaN (which the clamps leave alone): the clamped loop. NaN in a
    // quiet chunk: the loop without clamps.
    var loud = quiet
    for (k, x) in [Float(0.999_99), -0.999_99, 1, -1, 1.5, -2, .infinity, -.infinity, .nan, 0.999_98].enumerated() {
      loud[97 * k + 5] = x
    }
    var quietWithNaN = quiet
    quietWithNaN[1_000] = .nan
    // Past full scale without an infinity (the clamps must run: a higher threshold fails here), and every
    // fourth sample just under the threshold with its sign alternating (no clamp needed: the dither cannot
    // carry 32767 · 0.999979 past 32767.5).
    var overs = quiet
    for (k, x) in [Float(0.999_99), -0.999_99, 1, -1, 1.5, -1.25].enumerated() { overs[131 * k + 7] = x }
    let underThreshold = quiet.indices.map { $0 % 4 == 0 ? ($0 % 8 == 0 ? 0.999_979 : -0.999_979) : quiet[$0] }
    for input in [quiet, loud, quietWithNaN, overs, underThreshold] {
      var vector = [Int16](repeating: 0, count: input.count)
      input.withUnsafeBufferPointer { inp in
        vector.withUnsafeMutableBufferPointer { Master.quantize16(inp, channels: 1, firstFrame: 77, seed: 9, into: $0) }
      }
      for i in input.indices {
        var one: [Int16] = [0]
        [input[i]].withUnsafeBufferPointer { inp in
          one.withUnsafeMutableBufferPointer {
            Master.quantize16(inp, channels: 1, firstFrame: Int64(77 + i), seed: 9, into: $0)
          }
        }
        if vector[i] != one[0] {
          Issue.record("sample \(i) (\(input[i])): \(vector[i]) vs \(one[0])")
          return
        }
      }
    }
  }

  @Test("every built-in instrument makes sound of sensible level")
  func everyInstrumentSounds() {
    for line in [
      "piano C4 0", "synth Kick 0", "synth Snare 0", "synth HiHat 0", "synth Crash 0", "synth Tom 0", "guitar E2 0",
      "sine C4 0", "triangle C4 0", "saw C4 0", "square C4 0", "noise C6 0",
    ] {
      let out = renderFloat(score("melody { \(line); }"))
      let peak = out.map { abs($0) }.max() ?? 0
      #expect(peak > 0.05 && peak < 0.95, "\(line): peak \(peak)")
      #expect(out.suffix(2) == [0, 0] || abs(out.last!) < 0.01, "\(line) ends near silence")
    }
  }

  @Test("limits: a song longer than the limit is a diagnostic at the note")
  func lengthLimit() {
    var settings = EngineSettings()
    settings.limits.maxSeconds = 10
    let (session, d) = RenderSession.make(
      score: score("melody { sine C4 0; sine C4 20; }"), settings: settings)
    #expect(session == nil)
    #expect(d.first?.message == "the song would be longer than 10 seconds")
    #expect(d.first?.range.start.column == 21)
  }
}
