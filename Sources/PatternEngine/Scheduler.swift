import PatternLanguage

/// Render settings that change the audio (and so belong in a golden file).
public struct RenderSettings: Hashable, Sendable {
  /// Frames per second.
  public var sampleRate: Int
  /// Frames per dispatch of the voice loop, 1 … 65536. Never changes the output.
  public var blockSize: Int
  /// Worker threads for the lanes, ≥ 1. Never changes the output.
  public var threads: Int
  /// Master gain in dB before the limiter.
  public var masterGainDecibels: Double
  /// Seed of every random stream (noise, dither).
  public var seed: UInt64
  /// Render only this track (index into `Score.tracks`); the others are silent. For stems.
  public var soloTrack: Int? = nil
  /// Skip the master stage (gain and limiter): the plain sum of the tracks, for stems that add up to the mix.
  public var bypassMaster = false
  /// At least this many frames (silence after the last voice), so stems are as long as their mix.
  public var minimumFrames: Int64 = 0

  public init(
    sampleRate: Int = 48_000, blockSize: Int = 512, threads: Int = 2, masterGainDecibels: Double = 0, seed: UInt64 = 0
  ) {
    self.sampleRate = sampleRate
    self.blockSize = blockSize
    self.threads = threads
    self.masterGainDecibels = masterGainDecibels
    self.seed = seed
  }
}

/// Limits of the engine, reported as diagnostics at the note that exceeds them.
public struct EngineLimits: Hashable, Sendable {
  /// Longest song, in seconds.
  public var maxSeconds: Double = 3600
  /// Most voices sounding at once in one lane (a track has two lanes).
  public var maxVoicesPerLane = 4096
  public init() {}
}

/// A score turned into frames: per track, the voices in sum order, split into two fixed lanes.
struct Schedule: Sendable {
  /// `lanes[track][lane]`, each sorted by start frame then source order.
  var lanes: [[[ScheduledVoice]]]
  /// Frames of the whole render, including the last release.
  var totalFrames: Int64
}

/// Number of fixed lanes per track. Lanes are the unit of parallel work; their number never depends on the
/// thread count, and lanes are summed in a fixed order, so the output does not either.
let lanesPerTrack = 2

enum Scheduler {
  /// Frames a choked hit takes to fade out.
  static func chokeFade(rate: Double) -> Int64 { Int64((0.005 * rate).rounded()) }

  /// Cuts a drum or sampled hit at `frame` with a short fade (choke groups).
  static func choke(_ v: inout ScheduledVoice, at frame: Int64, rate: Double) {
    let fade = chokeFade(rate: rate)
    switch v.kind {
    case .sampler:
      v.levelAtNoteOff = ScheduledVoice.levelBeforeNoteOff(
        offset: frame - v.startFrame, attackFrames: v.attackFrames, decayFrames: v.decayFrames,
        sustainLevel: v.sustainLevel)
      v.noteOffFrame = frame
      v.releaseFrames = fade
      v.endFrame = min(v.endFrame, frame + fade)
    case .drum:
      v.chokeFrame = frame
      v.endFrame = min(v.endFrame, frame + fade)
    default: break
    }
  }

  /// Converts the score's beats to frames and precomputes every per-voice constant.
  static func schedule(
    _ score: Score, patches: [String: Patch], settings: RenderSettings, limits: EngineLimits
  ) -> (Schedule?, [Diagnostic]) {
    let rate = Double(settings.sampleRate)
    let tempo = TempoMap(score.tempo, sampleRate: settings.sampleRate)
    let maxFrames = Int64(limits.maxSeconds * rate)
    var perTrack = [[ScheduledVoice]](repeating: [], count: score.tracks.count)
    var diagnostics: [Diagnostic] = []
    var total: Int64 = 0
    // Choke groups: the voices of each (instrument, group) that may still sound, as (track, index).
    var sounding: [String: [(Int, Int)]] = [:]
    for (order, e) in score.events.enumerated() {
      if let solo = settings.soloTrack, e.track != solo { continue }
      guard let patch = patches[e.instrument.id] else {
        diagnostics.append(
          .error("instrument '\(e.instrumentName)' has no sound (\(e.instrument.id))", at: SourceRange(at: e.location)))
        continue
      }
      let start = tempo.frame(e.start)
      let off = max(start + 1, tempo.frame(e.start + e.duration))
      let midi: Double
      switch e.note {
      case .pitch(let m): midi = Double(m)
      case .hit: midi = 60
      }
      let f = DSPMath.frequencyHz(midi: midi)
      let frames = { (s: Double) in Int64((s * rate).rounded()) }
      var env = patch.envelope
      if let a = e.envelope.attackSeconds { env.attackSeconds = a }
      if let d = e.envelope.decaySeconds { env.decaySeconds = d }
      if let s = e.envelope.sustainLevel { env.sustainLevel = s }
      if let r = e.envelope.releaseSeconds { env.releaseSeconds = r }
      var v = ScheduledVoice(
        kind: .pluck, order: order, startFrame: start, noteOffFrame: off, endFrame: off,
        frequencyHz: f, midiNote: midi,
        phaseIncrement: UInt32(truncatingIfNeeded: Int64((f / rate * 4_294_967_296.0).rounded())),
        amplitude: Float(patch.gain * e.velocity * (e.gainDecibels == 0 ? 1 : DSPMath.gain(decibels: e.gainDecibels))),
        gainLeft: 0, gainRight: 0,
        attackFrames: frames(env.attackSeconds), decayFrames: frames(env.decaySeconds),
        sustainLevel: Float(env.sustainLevel), releaseFrames: max(1, frames(env.releaseSeconds)), levelAtNoteOff: 0,
        seed: NoiseHash.key(settings.seed, UInt64(e.track), UInt64(e.statementIndex), UInt64(order)),
        cutoffHz: 0, q: 0, velocity: Float(e.velocity))
      v.levelAtNoteOff = ScheduledVoice.levelBeforeNoteOff(
        offset: off - start, attackFrames: v.attackFrames, decayFrames: v.decayFrames, sustainLevel: v.sustainLevel)
      switch patch.kind {
      case .oscillator(let w):
        v.kind = .oscillator(w)
        v.endFrame = off + v.releaseFrames
      case .noise(let lp):
        v.kind = .noise
        v.cutoffHz = f * lp.cutoffRatio
        v.q = lp.q
        v.endFrame = off + v.releaseFrames
      case .drums:
        guard case .hit(let name) = e.note else { continue }
        if let zoneIndex = patch.hitZones[name], let bank = patch.hitSamples {
          guard bank.isPrepared(for: settings.sampleRate) else {
            diagnostics.append(
              .error(
                "kit '\(e.instrumentName)' was not prepared for \(settings.sampleRate) Hz",
                at: SourceRange(at: e.location)))
            return (nil, diagnostics)
          }
          // A sampled hit: the whole sample at its own pitch, whatever the note's length.
          let zone = bank.zones[zoneIndex]
          v.kind = .sampler
          v.amplitude *= Float(zone.gain)
          v.sample = SamplePlayback(buffer: zone.buffer, increment: 1 << 32, loopStart: 0, loopEnd: 0)
          (v.attackFrames, v.decayFrames, v.sustainLevel, v.levelAtNoteOff) = (0, 0, 1, 1)
          v.endFrame = start + Int64(zone.buffer.frames.count) + 2
          v.noteOffFrame = v.endFrame
          v.releaseFrames = 1
        } else {
          guard let d = patch.hits[name] ?? DrumSound(rawValue: name) else { continue }
          v.kind = .drum(d)
          v.endFrame = start + frames(DrumVoice.lengthSeconds(d))
        }
      case .pluck:
        v.kind = .pluck
        v.endFrame = min(off, start + frames(6)) + v.releaseFrames
        v.noteOffFrame = min(off, start + frames(6))
      case .piano:
        v.kind = .piano
        v.endFrame = off + v.releaseFrames
      case .synth(let definition):
        v.kind = .synth
        v.synth = SynthPlayback(definition: definition, midi: midi, sampleRate: rate)
        v.endFrame = off + v.releaseFrames
      case .sampler(let bank):
        guard let zone = bank.zone(note: Int(midi), velocity: e.velocity) else { continue }
        guard bank.isPrepared(for: settings.sampleRate) else {
          diagnostics.append(
            .error(
              "sampler '\(e.instrumentName)' was not prepared for \(settings.sampleRate) Hz (SamplerBank.prepared)",
              at: SourceRange(at: e.location)))
          return (nil, diagnostics)
        }
        v.kind = .sampler
        v.amplitude *= Float(zone.gain)
        // Playback rate: the note's distance from the root (plus fine tune) as a frequency ratio.
        let ratio = DSPMath.exp2Double((midi - Double(zone.root) + zone.tuneCents / 100) / 12)
        let increment = UInt64((ratio * 4_294_967_296).rounded())
        let loop = zone.loop.map { (UInt64($0.lowerBound) << 32, UInt64($0.upperBound) << 32) }
        v.sample = SamplePlayback(
          buffer: zone.buffer, increment: increment, loopStart: loop?.0 ?? 0, loopEnd: loop?.1 ?? 0,
          pingPong: zone.pingPong)
        v.releaseFrames = max(1, frames(e.envelope.releaseSeconds ?? zone.releaseSeconds))
        // One-shots end with their sample (or the release); loops sound until note-off + release.
        let sampleEnd = start + Int64((Double(zone.buffer.frames.count) / ratio).rounded(.up)) + 2
        v.endFrame = zone.loop == nil ? min(sampleEnd, off + v.releaseFrames) : off + v.releaseFrames
        v.levelAtNoteOff = ScheduledVoice.levelBeforeNoteOff(
          offset: off - start, attackFrames: v.attackFrames, decayFrames: v.decayFrames, sustainLevel: v.sustainLevel)
      }
      // The voice's own gain comes from the velocity; pan from the note and the track.
      let pan = max(-1, min(1, e.pan + patch.pan + score.tracks[e.track].pan))
      let (l, r) = DSPMath.panGains(pan)
      v.gainLeft = v.amplitude * l
      v.gainRight = v.amplitude * r
      switch v.kind {
      case .oscillator, .drum:
        break  // amplitude folded into the pan gains
      default:
        // The others scale their mono output themselves.
        v.gainLeft = l
        v.gainRight = r
      }
      if v.endFrame > maxFrames {
        diagnostics.append(
          .error(
            "the song would be longer than \(Int(limits.maxSeconds)) seconds", at: SourceRange(at: e.location),
            hint: "this note ends at \(String(format1(Double(v.endFrame) / rate))) s"))
        return (nil, diagnostics)
      }
      if case .hit(let name) = e.note, let group = patch.chokeGroups[name] {
        // Cut what this hit's group still has sounding on this instrument, then sound in its place.
        let key = "\(e.instrument.id)#\(group)"
        var still: [(Int, Int)] = []
        for (t, i) in sounding[key] ?? [] where perTrack[t][i].endFrame > v.startFrame {
          if perTrack[t][i].startFrame < v.startFrame { Scheduler.choke(&perTrack[t][i], at: v.startFrame, rate: rate) }
          still.append((t, i))
        }
        sounding[key] = still + [(e.track, perTrack[e.track].count)]
      }
      total = max(total, v.endFrame)
      perTrack[e.track].append(v)
    }
    // Sum order: start frame, then source order (the sort is stable on `order`).
    var lanes: [[[ScheduledVoice]]] = []
    for voices in perTrack {
      let sorted = voices.sorted { ($0.startFrame, $0.order) < ($1.startFrame, $1.order) }
      var trackLanes = [[ScheduledVoice]](repeating: [], count: lanesPerTrack)
      for (i, v) in sorted.enumerated() { trackLanes[i % lanesPerTrack].append(v) }
      for lane in trackLanes {
        if peakConcurrency(lane) > limits.maxVoicesPerLane, let first = lane.first {
          let event = score.events[first.order]
          diagnostics.append(
            .error(
              "more than \(limits.maxVoicesPerLane * lanesPerTrack) notes sound at once in this track",
              at: SourceRange(at: event.location)))
          return (nil, diagnostics)
        }
      }
      lanes.append(trackLanes)
    }
    return (Schedule(lanes: lanes, totalFrames: max(total, settings.minimumFrames)), diagnostics)
  }

  /// The most voices of a lane alive at one frame (sweep over starts and ends).
  static func peakConcurrency(_ voices: [ScheduledVoice]) -> Int {
    let ends = voices.map(\.endFrame).sorted()
    var j = 0
    var live = 0
    var peak = 0
    for v in voices {  // sorted by start
      while j < ends.count && ends[j] <= v.startFrame {
        j += 1
        live -= 1
      }
      live += 1
      peak = max(peak, live)
    }
    return peak
  }

  static func format1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return "\(r)"
  }
}
