import Foundation
import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Delay, EQ, compressor, limiter and drive, measured")
struct EffectMeasureTests {
  static let fs = 48_000.0

  @Test("echo n lands exactly on frame (n+1)·D at feedback^n (within 0.2 dB); ping-pong alternates sides")
  func delayEchoes() {
    let seconds = 0.125
    let d = Int(seconds * Self.fs)
    let feedback = 0.5
    let frames = d * 8
    let plain = runEffect(
      DelayEffect(seconds: seconds, feedback: feedback, damp: 0, pingPong: false, sampleRate: 48_000),
      left: impulse(frames), right: impulse(frames))
    for n in 0..<6 {
      let at = (n + 1) * d
      let expected = AcousticMeasures.decibels(pow(feedback, Double(n)))
      let measured = AcousticMeasures.decibels(Double(plain.left[at]))
      #expect(abs(measured - expected) < 0.2, "echo \(n): \(measured) dB, expected \(expected)")
      #expect(plain.left[(at - 3)..<at].allSatisfy { $0 == 0 } && plain.left[at + 1] == 0, "echo \(n) is one frame")
    }
    let pp = runEffect(
      DelayEffect(seconds: seconds, feedback: feedback, damp: 0, pingPong: true, sampleRate: 48_000),
      left: impulse(frames), right: impulse(frames))
    for n in 0..<4 {
      let (loud, quiet) = n % 2 == 0 ? (pp.left, pp.right) : (pp.right, pp.left)
      #expect(abs(AcousticMeasures.decibels(Double(loud[(n + 1) * d])) - 20 * log10(pow(feedback, Double(n)))) < 0.2)
      #expect(quiet[(n + 1) * d] == 0, "ping-pong echo \(n) on one side only")
    }
  }

  /// The cookbook's magnitude, written out again here with Foundation's trigonometry.
  static func cookbook(_ kind: String, f0: Double, gain: Double, q: Double, at f: Double) -> Double {
    let w0 = 2 * Double.pi * f0 / fs
    let a = pow(10, gain / 40)
    let (c, s) = (cos(w0), sin(w0))
    let alpha = kind.contains("shelf") ? s / 2 * 2.0.squareRoot() : s / (2 * q)
    let sa = 2 * a.squareRoot() * alpha
    let (b, den): ([Double], [Double])
    switch kind {
    case "hp": (b, den) = ([(1 + c) / 2, -(1 + c), (1 + c) / 2], [1 + alpha, -2 * c, 1 - alpha])
    case "lp": (b, den) = ([(1 - c) / 2, 1 - c, (1 - c) / 2], [1 + alpha, -2 * c, 1 - alpha])
    case "peak": (b, den) = ([1 + alpha * a, -2 * c, 1 - alpha * a], [1 + alpha / a, -2 * c, 1 - alpha / a])
    case "lowshelf":
      (b, den) = (
        [a * ((a + 1) - (a - 1) * c + sa), 2 * a * ((a - 1) - (a + 1) * c), a * ((a + 1) - (a - 1) * c - sa)],
        [(a + 1) + (a - 1) * c + sa, -2 * ((a - 1) + (a + 1) * c), (a + 1) + (a - 1) * c - sa]
      )
    default:
      (b, den) = (
        [a * ((a + 1) + (a - 1) * c + sa), -2 * a * ((a - 1) + (a + 1) * c), a * ((a + 1) + (a - 1) * c - sa)],
        [(a + 1) - (a - 1) * c + sa, 2 * ((a - 1) - (a + 1) * c), (a + 1) - (a - 1) * c - sa]
      )
    }
    let w = 2 * Double.pi * f / fs
    func mag(_ k: [Double]) -> Double {
      let re = k[0] + k[1] * cos(w) + k[2] * cos(2 * w)
      let im = -(k[1] * sin(w) + k[2] * sin(2 * w))
      return (re * re + im * im).squareRoot()
    }
    return mag(b) / mag(den)
  }

  @Test("eq(…) magnitude at 9 frequencies is within 0.3 dB of the RBJ cookbook")
  func eqMagnitude() {
    // eq(hp=80, low=-4, mid=5 at 1 kHz q 1.4, high=3) and a 12 kHz low-pass, through the language's factory.
    var values = EffectKind.eq.parameters.map(\.defaultValue)
    func set(_ name: String, _ v: Double) { values[EffectKind.eq.parameters.firstIndex { $0.name == name }!] = v }
    set("hp", 80)
    set("low", -4)
    set("mid", 5)
    set("midq", 1.4)
    set("high", 3)
    set("lp", 12_000)
    let spec = EffectSpec(kind: .eq, values: values, mix: 1, location: SourceLocation(offset: 0, line: 1, column: 1))
    let eq = EffectFactory.make(spec, sampleRate: 48_000, secondsPerBeat: 0.5)
    let frames = 48_000
    let h = runEffect(eq, left: impulse(frames), right: impulse(frames)).left.map(Double.init)
    for f in [30.0, 80, 150, 400, 1000, 2500, 6000, 10_000, 16_000] {
      let expected =
        Self.cookbook("hp", f0: 80, gain: 0, q: 0.7071, at: f)
        * Self.cookbook("lowshelf", f0: 200, gain: -4, q: 0, at: f)
        * Self.cookbook("peak", f0: 1000, gain: 5, q: 1.4, at: f)
        * Self.cookbook("highshelf", f0: 6000, gain: 3, q: 0, at: f)
        * Self.cookbook("lp", f0: 12_000, gain: 0, q: 0.7071, at: f)
      let measured = AcousticMeasures.magnitude(h, hz: f, sampleRate: Self.fs)
      let error = AcousticMeasures.decibels(measured) - AcousticMeasures.decibels(expected)
      #expect(
        abs(error) < 0.3, "\(f) Hz: \(AcousticMeasures.decibels(measured)) dB vs \(AcousticMeasures.decibels(expected))"
      )
    }
  }

  /// Output level (dB) of the compressor for a steady input of `level` dB (a constant, so the detector sees the
  /// level itself), after it settles.
  static func steadyOutput(_ comp: Compressor, level: Double, frames: Int = 48_000) -> Double {
    let x = [Float](repeating: Float(pow(10, level / 20)), count: frames)
    let out = runEffect(comp, left: x, right: x)
    return AcousticMeasures.decibels(Double(out.left.last!))
  }

  @Test("the compressor's static curve has slope 1/ratio above the threshold (±0.3 dB)", arguments: [2.0, 4.0, 8.0])
  func staticCurve(ratio: Double) {
    let make = {
      Compressor(threshold: -30, ratio: ratio, knee: 0, attack: 0.001, release: 0.05, makeup: 0, sampleRate: 48_000)
    }
    let levels = [-24.0, -18, -12, -6]
    let outs = levels.map { Self.steadyOutput(make(), level: $0) }
    for i in 1..<levels.count {
      let expected = (levels[i] - levels[i - 1]) / ratio
      #expect(abs((outs[i] - outs[i - 1]) - expected) < 0.3, "ratio \(ratio): \(outs)")
    }
    // Below the threshold it does nothing.
    #expect(abs(Self.steadyOutput(make(), level: -40) + 40) < 0.01)
  }

  @Test("attack and release time constants are within 10 %")
  func timeConstants() {
    let attack = 0.02
    let release = 0.15
    let comp = Compressor(
      threshold: -30, ratio: 10, knee: 0, attack: attack, release: release, makeup: 0, sampleRate: 48_000)
    let quiet = Float(pow(10, -40.0 / 20))
    let loud = Float(pow(10, -10.0 / 20))
    let n = 48_000
    let x =
      [Float](repeating: quiet, count: n) + [Float](repeating: loud, count: n) + [Float](repeating: quiet, count: n)
    let y = runEffect(comp, left: x, right: x).left
    // Gain reduction in dB over time; the reduction target during the loud part is 20·(1 − 1/10) = 18 dB.
    let reduction = zip(x, y).map { AcousticMeasures.decibels(Double($0)) - AcousticMeasures.decibels(Double($1)) }
    let full = reduction[2 * n - 1]
    let attackAt = (n..<(2 * n)).first { reduction[$0] >= full * (1 - exp(-1)) }!
    let releaseAt = ((2 * n)..<(3 * n)).first { reduction[$0] <= full * exp(-1) }!
    let measuredAttack = Double(attackAt - n) / Self.fs
    let measuredRelease = Double(releaseAt - 2 * n) / Self.fs
    #expect(abs(measuredAttack - attack) / attack < 0.1, "attack \(measuredAttack) s")
    #expect(abs(measuredRelease - release) / release < 0.1, "release \(measuredRelease) s")
  }

  @Test("the limiter keeps the true peak (16× oversampled, measured here) under its ceiling and is exact below it")
  func limiterTruePeak() {
    let frames = 48_000
    // Loud inter-sample-peaky material: a full-scale 11 kHz tone with a quarter-sample phase, plus a bass.
    var l = [Float](repeating: 0, count: frames)
    var r = [Float](repeating: 0, count: frames)
    for i in 0..<frames {
      let t = Double(i) / Self.fs
      l[i] = Float(1.4 * sin(2 * Double.pi * 11_025 * t + 0.7) + 0.5 * sin(2 * Double.pi * 60 * t))
      r[i] = Float(0.9 * sin(2 * Double.pi * 997 * t))
    }
    let ceiling = -1.0
    let out = runEffect(TruePeakLimiter(ceiling: ceiling, release: 0.1, sampleRate: 48_000), left: l, right: r)
    let tp = max(Self.truePeak(out.left.map(Double.init)), Self.truePeak(out.right.map(Double.init)))
    #expect(AcousticMeasures.decibels(tp) <= ceiling, "true peak \(AcousticMeasures.decibels(tp)) dBTP")
    // Quiet input passes bit-exactly, only delayed by the latency.
    let quiet = testSignal(6000).0.map { $0 * 0.1 }
    let limiter = TruePeakLimiter(ceiling: -1, release: 0.1, sampleRate: 48_000)
    let passed = runEffect(limiter, left: quiet, right: quiet).left
    #expect(Array(passed[limiter.latency...]) == Array(quiet[..<(quiet.count - limiter.latency)]))
  }

  /// Peak of a signal interpolated 16× with a long windowed sinc (the meters' job, done slowly and well).
  static func truePeak(_ x: [Double]) -> Double {
    var peak = x.map(abs).max()!
    let half = 32
    for i in half..<(x.count - half) {
      for p in 1..<16 {
        let frac = Double(p) / 16
        var s = 0.0
        for k in -half + 1...half {
          let t = Double(k) - frac
          let w = 0.5 + 0.5 * cos(Double.pi * t / Double(half))
          s += x[i + k] * sin(Double.pi * t) / (Double.pi * t) * w
        }
        peak = max(peak, abs(s))
      }
    }
    return peak
  }

  @Test("drive at amount 1 on a −6 dBFS 5 kHz sine: every aliased component is below −80 dB")
  func driveAliasing() {
    let n = 9600 + 2000  // 9,600 frames = exactly 1,000 cycles, after 2,000 frames of settling
    let x = (0..<n).map { Float(0.5 * sin(2 * Double.pi * 5000 * Double($0) / Self.fs)) }
    let y = runEffect(Drive(amount: 1, sampleRate: 48_000), left: x, right: x).left
    let window = y[2000...].map(Double.init)
    let fundamental = AcousticMeasures.magnitude(window, hz: 5000, sampleRate: Self.fs)
    var aliases = Set<Int>()
    for k in 2...60 {
      var f = (k * 5000) % 48_000
      if f > 24_000 { f = 48_000 - f }
      if f % 5000 != 0 || (k * 5000 >= 24_000 && f != 0) { aliases.insert(f) }
    }
    aliases = aliases.filter {
      $0 > 0 && $0 < 24_000 && !($0 % 5000 == 0 && $0 / 5000 >= 1 && $0 < 24_000 && (1...4).contains($0 / 5000))
    }
    #expect(aliases.count > 5)
    for f in aliases.sorted() {
      let level = AcousticMeasures.decibels(
        AcousticMeasures.magnitude(window, hz: Double(f), sampleRate: Self.fs) / fundamental)
      #expect(level < -80, "alias at \(f) Hz: \(level) dB")
    }
    // It does saturate: the 3rd harmonic is strong.
    let third = AcousticMeasures.magnitude(window, hz: 15_000, sampleRate: Self.fs) / fundamental
    #expect(AcousticMeasures.decibels(third) > -30)
  }
}
