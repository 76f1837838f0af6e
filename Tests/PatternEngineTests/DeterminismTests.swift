import PatternLanguage
import Testing

@testable import PatternEngine

@Suite("Determinism by construction")
struct DeterminismTests {
  @Test("block sizes 1, 64, 512, 4096 and 1 or 2 threads give identical samples")
  func blockAndThreadInvariance() {
    let s = score(everyVoiceSong)
    let reference = renderFloat(s, settings: EngineSettings(blockSize: 512, threads: 1))
    #expect(reference.count > 100_000)
    #expect(reference.contains { $0 != 0 })
    for (block, threads) in [(1, 1), (64, 2), (512, 2), (4096, 1), (4096, 2), (37, 2)] {
      let out = renderFloat(s, settings: EngineSettings(blockSize: block, threads: threads))
      #expect(out.map(\.bitPattern) == reference.map(\.bitPattern), "block \(block), threads \(threads)")
    }
  }

  @Test("two renders in one process are identical")
  func repeatable() {
    let s = score(everyVoiceSong)
    #expect(renderFloat(s).map(\.bitPattern) == renderFloat(s).map(\.bitPattern))
  }

  @Test("the SIMD oscillator path equals the scalar reference for every waveform")
  func simdMatchesScalar() {
    for wave in Waveform.allCases {
      for inc in [UInt32(39_370_534), 3_000_000, 400_000_000, 1_234_567_891] {
        let bl = OscillatorKernel.BandLimit(increment: inc)
        for start in stride(from: UInt32(0), to: 4000, by: 8) {
          let phases = SIMD8<UInt32>(repeating: start &* inc) &+ OscillatorKernel.laneIndex &* inc
          let v = OscillatorKernel.sample8(wave, phase: phases, bl)
          for lane in 0..<8 {
            let scalar = OscillatorKernel.sample(wave, phase: (start &+ UInt32(lane)) &* inc, bl)
            if v[lane].bitPattern != scalar.bitPattern {
              Issue.record("\(wave) inc \(inc) frame \(start + UInt32(lane)): \(v[lane]) vs \(scalar)")
              return
            }
          }
        }
      }
    }
  }

  @Test("the SIMD mixer equals the scalar reference")
  func mixerMatchesScalar() {
    var a = (0..<1003).map { Float($0 % 97) * 0.013 - 0.6 }
    var b = a
    let input = (0..<1003).map { Float(($0 * 37) % 101) * 0.007 - 0.35 }
    input.withUnsafeBufferPointer { inp in
      a.withUnsafeMutableBufferPointer {
        Mixer.accumulate(inp.baseAddress!, gain: 0.7071, into: $0.baseAddress!, count: 1003)
      }
      b.withUnsafeMutableBufferPointer {
        Mixer.accumulateScalar(inp.baseAddress!, gain: 0.7071, into: $0.baseAddress!, count: 1003)
      }
    }
    #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
  }

  @Test("noise streams depend on the song's seed and nothing else")
  func seededNoise() {
    let a = renderFloat(score("seed 1; melody { noise C6 0 dur=0.25; }"))
    let b = renderFloat(score("seed 1; melody { noise C6 0 dur=0.25; }"))
    let c = renderFloat(score("seed 2; melody { noise C6 0 dur=0.25; }"))
    #expect(a == b)
    #expect(a != c)
  }
}
