import Foundation
import Testing

@testable import PatternSamplerFormats

private func region(_ opcodes: String, control: String = "") -> (SamplerRegion?, [ReaderWarning]) {
  let inst = parse("<control> \(control)\n<region> sample=s.wav \(opcodes)")
  return (inst.regions.first, inst.warnings)
}

@Suite struct OpcodeTests {
  @Test(arguments: [
    ("c4", 60), ("C4", 60), ("c#4", 61), ("db4", 61), ("c-1", 0), ("g9", 127), ("a4", 69),
    ("bb3", 58), ("e#4", -1), ("cb4", -1), ("h4", -1), ("60", 60), ("f♯2", 42),
  ])
  func noteNames(_ text: String, _ expected: Int) {
    #expect((SFZNumber.noteNumber(text) ?? SFZNumber.leadingInt(text).map { Int($0.value) } ?? -1) == expected)
  }

  @Test func keyOpcodes() {
    var (r, w) = region("key=d#3")
    #expect(r?.keyLow == 51 && r?.keyHigh == 51 && r?.rootKey == 51 && w.isEmpty)
    (r, w) = region("lokey=c3 hikey=b3 pitch_keycenter=f#3")
    #expect(r?.keyLow == 48 && r?.keyHigh == 59 && r?.rootKey == 54 && r?.rootKeyFromSample == false)
    (r, w) = region("pitch_keycenter=sample")
    #expect(r?.rootKeyFromSample == true && r?.rootKey == 60)
    (r, w) = region("lokey=10 hikey=20 pitch_keycenter=15", control: "note_offset=2 octave_offset=-1")
    #expect(r?.keyLow == 0 && r?.keyHigh == 10 && r?.rootKey == 5)
    (r, w) = region("lokey=200")
    #expect(r?.keyLow == 127 && w.count == 1 && w[0].message.contains("clamped"))
  }

  @Test func velocityAndPitch() {
    let (r, w) = region("lovel=10 hivel=90 transpose=-2 tune=15 pitch_keytrack=50")
    #expect(r?.velLow == 10 && r?.velHigh == 90 && r?.tuneCents == -185 && r?.keyTrackCents == 50 && w.isEmpty)
    #expect(region("pitch=3").0?.tuneCents == 3)
  }

  @Test func levelOpcodes() {
    var (r, _) = region("volume=-6 amplitude=50 pan=-100")
    #expect(abs(r!.gainDb - (-6 + 20 * log10(0.5))) < 1e-9)
    #expect(r?.pan == -1)
    (r, _) = region("gain=3 amplitude=0")
    #expect(r?.gainDb == -144)
    (r, _) = region("amp_veltrack=50 amp_velcurve_64=0.3 amp_velcurve_127=0.8")
    #expect(r?.velocityCurve == .sfz(velTrackPercent: 50, points: [0: 0, 64: 0.3, 127: 0.8]))
    (r, _) = region("")
    #expect(r?.velocityCurve == .sfz(velTrackPercent: 100, points: [:]))
  }

  @Test func velocityGainFormula() {
    #expect(SFZInstrument.velocityGain(velocity: 127, velTrackPercent: 100, points: [:]) == 1)
    #expect(
      abs(SFZInstrument.velocityGain(velocity: 64, velTrackPercent: 100, points: [:]) - pow(64.0 / 127, 2)) < 1e-12)
    #expect(SFZInstrument.velocityGain(velocity: 0, velTrackPercent: 0, points: [:]) == 1)
    #expect(abs(SFZInstrument.velocityGain(velocity: 0, velTrackPercent: 50, points: [:]) - 0.5) < 1e-12)
    #expect(SFZInstrument.velocityGain(velocity: 127, velTrackPercent: -100, points: [:]) == 0)
    #expect(abs(SFZInstrument.velocityGain(velocity: 32, velTrackPercent: 100, points: [64: 0.5]) - 0.25) < 1e-12)
  }

  @Test func ampEnvelope() {
    let (r, _) = region(
      "ampeg_delay=0.1 ampeg_attack=0.2 ampeg_hold=0.3 ampeg_decay=0.4 ampeg_sustain=50 ampeg_release=0.6 ampeg_start=10"
    )
    let e = r!.ampEnv
    #expect(
      e.delay == 0.1 && e.attack == 0.2 && e.hold == 0.3 && e.decay == 0.4 && e.sustain == 0.5 && e.release == 0.6)
    #expect(e.start == 0.1 && abs(e.exponentialSpanDb - 78.1730) < 1e-3)
    #expect(region("").0?.ampEnv.release == 0.001)
  }

  @Test func playbackAndLoops() {
    var (r, _) = region("offset=100 end=999 loop_mode=loop_continuous loopstart=200 loop_end=799")
    #expect(
      r?.offset == 100 && r?.end == 1000 && r?.loopMode == .continuous && r?.loopStart == 200 && r?.loopEnd == 800)
    #expect(r?.loopModeExplicit == true && r?.loopStartExplicit == true && r?.loopEndExplicit == true)
    (r, _) = region("")
    #expect(r?.loopMode == .noLoop && r?.loopModeExplicit == false && r?.loopEndExplicit == false && r?.end == nil)
    (r, _) = region("loopmode=one_shot")
    #expect(r?.loopMode == .oneShot)
    (r, _) = region("loop_mode=loop_sustain")
    #expect(r?.loopMode == .untilRelease)
    (r, _) = region("loop_mode=no_loop")
    #expect(r?.loopMode == .noLoop && r?.loopModeExplicit == true)
    var w: [ReaderWarning]
    (r, w) = region("loop_mode=loop_continuous loop_start=500 loop_end=100")
    #expect(r?.loopMode == .noLoop && w.count == 1)
    (r, w) = region("loop_mode=bogus")
    #expect(r?.loopModeExplicit == false && w.count == 1)
  }

  @Test func triggerAndRelease() {
    var (r, w) = region("trigger=release rt_decay=12")
    #expect(r?.releaseTrigger == true && r?.releaseDecayDbPerSecond == 12 && r?.loopMode == .oneShot && w.isEmpty)
    (r, w) = region("trigger=legato")
    #expect(r?.releaseTrigger == false && w.count == 1)
  }

  @Test func chokeAndRoundRobin() {
    var (r, _) = region("group=3 off_by=4 seq_length=4 seq_position=2 lorand=0.25 hirand=0.5")
    #expect(r?.exclusiveClass == 3 && r?.offBy == 4 && r?.sequenceLength == 4 && r?.sequencePosition == 2)
    #expect(r?.randomLow == 0.25 && r?.randomHigh == 0.5)
    (r, _) = region("offby=7 polyphony_group=2")
    #expect(r?.offBy == 7 && r?.exclusiveClass == 2)
    let inst = parse("<region> sample=a.wav seq_length=2 seq_position=3")
    #expect(inst.regions.isEmpty && inst.gatedOut == 1)
  }

  @Test func ccGating() {
    let inst = parse(
      """
      <control> set_cc1=100 set_hdcc2=0.5
      <region> sample=a.wav locc1=64
      <region> sample=b.wav hicc1=63
      <region> sample=c.wav locc7=1
      <region> sample=d.wav hicc7=10
      <region> sample=e.wav locc2=60 hicc2=70
      <region> sample=f.wav key=-1
      <region> sample=g.wav hikey=-1
      """)
    #expect(inst.regions.map(path) == ["/sfz/a.wav", "/sfz/d.wav", "/sfz/e.wav"])
    #expect(inst.gatedOut == 4 && inst.warnings.isEmpty)
  }

  @Test func filter() {
    var (r, w) = region("cutoff=1000 resonance=6 fil_veltrack=2400 fil_type=lpf_2p")
    #expect(r?.filterCutoffHz == 1000 && r?.filterResonanceDb == 6 && r?.filterVelTrackCents == 2400 && w.isEmpty)
    #expect(r?.velocityToFilterCents == 0)
    (r, w) = region("cutoff=1000 fil_type=hpf_2p")
    #expect(r?.filterCutoffHz == nil && w.count == 1)
    (r, w) = region("cutoff=500 filtype=lpf_1p")
    #expect(r?.filterCutoffHz == 500 && w.count == 1)
    (r, w) = region("cutoff=50000")
    #expect(r?.filterCutoffHz == 20000 && w.count == 1)
    #expect(region("").0?.filterCutoffHz == nil)
  }

  @Test func modulationEnvelopes() {
    var (r, w) = region(
      "cutoff=500 fileg_depth=1200 fileg_attack=0.1 fileg_sustain=30 pitcheg_depth=100 pitcheg_attack=0.1 pitcheg_sustain=30"
    )
    #expect(
      r?.modEnvToFilterCents == 1200 && r?.modEnvToPitchCents == 100 && r?.modEnv.attack == 0.1
        && r?.modEnv.sustain == 0.3)
    #expect(w.isEmpty)
    (r, w) = region("cutoff=500 fileg_depth=1200 fileg_decay=1 pitcheg_depth=100 pitcheg_decay=0.1")
    #expect(r?.modEnvToFilterCents == 1200 && r?.modEnvToPitchCents == 0 && r?.modEnv.decay == 1 && w.count == 1)
    (r, w) = region("pitcheg_depth=-50 pitcheg_decay=0.2 pitcheg_sustain=0")
    #expect(r?.modEnvToPitchCents == -50 && r?.modEnv.decay == 0.2 && r?.modEnv.sustain == 0 && r?.modEnv.release == 0)
  }

  @Test func lfos() {
    var (r, w) = region(
      "cutoff=900 pitchlfo_freq=5 pitchlfo_depth=30 pitchlfo_delay=0.5 amplfo_freq=3 amplfo_depth=2 fillfo_freq=3 fillfo_depth=600"
    )
    #expect(
      r?.vibLFO.frequency == 5 && r?.vibLFO.toPitchCents == 30 && r?.vibLFO.delay == 0.5 && r?.vibLFO.shape == .sine)
    #expect(r?.modLFO.frequency == 3 && r?.modLFO.toVolumeDb == 2 && r?.modLFO.toFilterCents == 600 && w.isEmpty)
    (r, w) = region("cutoff=900 amplfo_freq=3 amplfo_depth=2 fillfo_freq=7 fillfo_depth=600")
    #expect(r?.modLFO.toVolumeDb == 2 && r?.vibLFO.frequency == 7 && r?.vibLFO.toFilterCents == 600)
    (r, w) = region(
      "cutoff=900 pitchlfo_freq=1 pitchlfo_depth=3 amplfo_freq=3 amplfo_depth=2 fillfo_freq=7 fillfo_depth=600")
    #expect(r?.modLFO.toFilterCents == 0 && r?.vibLFO.toFilterCents == 0 && w.count == 1)
  }

  @Test func badValues() {
    let (r, w) = region("volume=loud pan=12abc lovel=3.7 lokey=q")
    #expect(r?.gainDb == 0 && r?.pan == 0.12 && r?.velLow == 3 && r?.keyLow == 0)
    #expect(w.count == 4)
    #expect(w[0].message.contains("not a number") && w[0].line == 2 && w[0].column == 30)
  }

  @Test func regionsWithoutUsableSample() {
    let inst = parse(
      "<region> key=1\n<region> sample=*sine\n<region> sample=*silence\n<region> sample=ok.wav lokey=9 hikey=3")
    #expect(inst.regions.isEmpty && inst.warnings.count == 4)
  }
}
