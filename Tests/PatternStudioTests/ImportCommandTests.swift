import Foundation
import PatternLanguage
import PatternMIDI
import PatternStudio
import TestSupport
import Testing

extension Tools {
  /// music21 (PyPI) with its bundled corpus of public-domain scores; `Scripts/setup` installs it.
  static let music21: Bool = {
    guard let python = which("python3") else { return false }
    return (try? ProcessRunner.runBlocking(python, ["-c", "import music21.corpus"]).status) == 0
  }()

  /// Prints every note of a MIDI file as mido pairs them (first in, first out per track, channel and key):
  /// `channel key velocity start end` with exact beats (fractions of the file's PPQ), sorted; then `length S`.
  static let midoNotes = """
    import mido, sys
    from fractions import Fraction
    m = mido.MidiFile(sys.argv[1])
    out = []
    for t in m.tracks:
        tick, open_ = 0, {}
        for msg in t:
            tick += msg.time
            if msg.type == 'note_on' and msg.velocity > 0:
                open_.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
            elif msg.type in ('note_off', 'note_on') and open_.get((msg.channel, msg.note)):
                start, v = open_[(msg.channel, msg.note)].pop(0)
                b = lambda x: str(Fraction(x, m.ticks_per_beat))
                out.append(f"{msg.channel} {msg.note} {v} {b(start)} {b(tick)}")
    print("\\n".join(sorted(out)))
    """
}

/// `pstudio import` end to end: files made by mido (and music21's corpus) imported, checked, rendered and written
/// back with `pstudio midi`, compared note for note by mido and by our reader.
@Suite("pstudio import")
struct ImportCommandTests {
  /// mido writes running status; these files use it throughout.
  static let makeFiles = """
    import mido, sys
    d = sys.argv[1]
    # Type 1: a conductor (3/4 then 4/4 at bar 3, tempo steps), two tracks sharing channel 1, a bass, drums.
    m = mido.MidiFile(type=1, ticks_per_beat=384)
    c = mido.MidiTrack(); m.tracks.append(c)
    c.append(mido.MetaMessage('track_name', name='Import Test'))
    c.append(mido.MetaMessage('time_signature', numerator=3, denominator=4))
    c.append(mido.MetaMessage('set_tempo', tempo=500000))
    for i in range(1, 9): c.append(mido.MetaMessage('set_tempo', tempo=500000 - 9973 * i, time=48))
    c.append(mido.MetaMessage('time_signature', numerator=4, denominator=4, time=2304 - 8 * 48))
    c.append(mido.MetaMessage('set_tempo', tempo=700001, time=0))
    def track(name, events):
        t = mido.MidiTrack(); m.tracks.append(t)
        t.append(mido.MetaMessage('track_name', name=name))
        last = 0
        for tick, msg in sorted(events, key=lambda e: e[0]):
            t.append(msg.copy(time=tick - last)); last = tick
    piano = [(0, mido.Message('program_change', channel=0, program=0))]
    for v in range(1, 128):
        piano += [(v * 37, mido.Message('note_on', channel=0, note=36 + v % 48, velocity=v)),
                  (v * 37 + 30, mido.Message('note_off', channel=0, note=36 + v % 48))]
    track('Piano', piano)
    # Overlapping notes of one key on the channel the piano uses.
    track('Upper', [(0, mido.Message('note_on', channel=0, note=84, velocity=50)),
                    (100, mido.Message('note_on', channel=0, note=84, velocity=60)),
                    (150, mido.Message('note_off', channel=0, note=84)),
                    (151, mido.Message('note_on', channel=0, note=84, velocity=70)),
                    (400, mido.Message('note_off', channel=0, note=84)),
                    (401, mido.Message('note_on', channel=0, note=84, velocity=0))])
    track('Bass', [(0, mido.Message('program_change', channel=3, program=33)),
                   (7, mido.Message('note_on', channel=3, note=40, velocity=99)),
                   (1000, mido.Message('note_off', channel=3, note=40))])
    drums = []
    for i, key in enumerate([36, 38, 42, 46, 49, 35, 50]):
        drums += [(i * 96, mido.Message('note_on', channel=9, note=key, velocity=100 + i)),
                  (i * 96 + 48, mido.Message('note_off', channel=9, note=key))]
    track('Drums', drums)
    m.save(d + '/type1.mid')
    # Type 0: three channels in one track.
    z = mido.MidiFile(type=0, ticks_per_beat=96)
    t = mido.MidiTrack(); z.tracks.append(t)
    t.append(mido.MetaMessage('set_tempo', tempo=451127))
    t.append(mido.Message('program_change', channel=1, program=48))
    for i in range(12):
        for ch, key in [(0, 60 + i), (1, 48 + i), (9, 42)]:
            t.append(mido.Message('note_on', channel=ch, note=key, velocity=20 + i * 9, time=0))
        t.append(mido.Message('note_off', channel=0, note=60 + i, time=24))
        t.append(mido.Message('note_off', channel=1, note=48 + i, time=24))
        t.append(mido.Message('note_off', channel=9, note=42, time=1))
    z.save(d + '/type0.mid')
    """

  /// The notes of a MIDI file as mido reads them.
  func midoNotes(_ path: String) async throws -> [String] {
    let r = try await Tools.run(Tools.which("python3")!, ["-c", Tools.midoNotes, path])
    #expect(r.status == 0)
    return r.out.split(separator: "\n").map(String.init)
  }

  /// The same, by our reader.
  func readerNotes(_ path: String) throws -> [String] {
    let file = try MIDIReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    let ppq = Int64(file.ticksPerQuarter)
    return MIDIReader.notes(file).map {
      "\($0.channel) \($0.key) \($0.velocity) \(BeatTime($0.start, ppq)) \(BeatTime($0.end, ppq))"
    }.sorted()
  }

  /// import → check → midi; the imported source's path and the exported file's.
  func roundTrip(_ mid: String) async throws -> (pattern: String, exported: String, stderr: String) {
    let pattern = mid.replacingOccurrences(of: ".mid", with: ".pattern")
    let exported = mid.replacingOccurrences(of: ".mid", with: "-back.mid")
    let imported = try await CLI.run(["import", mid, "-o", pattern])
    #expect(imported.status == 0, "\(imported.stderr)")
    let check = try await CLI.run(["check", pattern])
    #expect(check.status == 0 && check.stdout.contains("0 errors"), "\(check.stderr)")
    let midi = try await CLI.run(["midi", pattern, "-o", exported])
    #expect(midi.status == 0, "\(midi.stderr)")
    return (pattern, exported, imported.stderr)
  }

  @Test(
    "mido's type-0 and type-1 files: import, check, midi give back every note (mido and our reader agree)",
    .enabled(if: Tools.mido), .timeLimit(.minutes(2)))
  func midoRoundTrip() async throws {
    let dir = Scratch.folder()
    let made = try await Tools.run(Tools.which("python3")!, ["-c", Self.makeFiles, dir])
    #expect(made.status == 0)
    for name in ["type1", "type0"] {
      let mid = "\(dir)/\(name).mid"
      let (pattern, exported, stderr) = try await roundTrip(mid)
      let original = try await midoNotes(mid)
      let expectedCount = name == "type1" ? 138 : 36  // 127 + 3 overlapping + bass + 7 drums; 12 × 3
      #expect(original.count == expectedCount)
      #expect(try await midoNotes(exported) == original, "\(name): mido sees other notes")
      #expect(try readerNotes(exported) == original, "\(name): our reader sees other notes")
      #expect(try readerNotes(mid) == original)
      let source = try String(contentsOfFile: pattern, encoding: .utf8)
      if name == "type1" {
        #expect(stderr.contains("format 1, 384 ticks per quarter, 5 tracks → 4 blocks, 138 notes"))
        #expect(source.contains("title \"Import Test\";\ntempo 120;\ntempo 60000000/490027 at 1/8;  // ≈ 122.44 BPM"))
        #expect(source.contains("meter 3/4;\nmeter 4/4 at 3:1;"))
        #expect(source.contains("import piano1 from \"grand\" channel=1;  // GM program 0, Acoustic Grand Piano"))
        #expect(source.contains("import bass4 from \"bass\" channel=4;  // GM program 33, Electric Bass (finger)"))
        #expect(source.contains("drums10 Kick 0 dur=1/8 vel=100;"))
        #expect(source.contains("vel=1/127;"))
        // Tempo steps come back at their beats.
        let back = try MIDIReader.read(Array(try Data(contentsOf: URL(fileURLWithPath: exported))))
        let tempi = back.tracks[0].events.compactMap { e -> String? in
          if case .tempo(let us) = e.kind { return "\(BeatTime(e.tick, Int64(back.ticksPerQuarter))):\(us)" }
          return nil
        }
        #expect(tempi.count == 10 && tempi.first == "0:500000" && tempi.last == "6:700001")
      } else {
        #expect(stderr.contains("format 0, 96 ticks per quarter, 1 track → 3 blocks, 36 notes"))
        #expect(source.components(separatedBy: "\n").filter { $0.hasSuffix("{") }.count == 3)
      }
    }
  }

  @Test("each General MIDI family imports to its shipped module; notes out of its range move to a wider one")
  func programFamilies() throws {
    // (program, key, module): one format-0 file per program, one note on channel 1.
    let expected: [(Int, Int, String)] = [
      (0, 48, "grand"), (12, 48, "marimba"), (16, 48, "organ"), (24, 48, "guitar"), (33, 48, "bass"),
      (40, 48, "strings"), (48, 48, "strings"), (52, 48, "pad"), (56, 48, "lead"), (73, 48, "triangle"),
      (79, 48, "sine"), (80, 48, "square"), (81, 48, "lead"), (88, 48, "pad"), (104, 48, "guitar"),
      (122, 48, "noise"), (33, 84, "triangle"),
    ]
    let renderer = Renderer(instruments: .standard())
    for (program, key, module) in expected {
      let body: [UInt8] = [
        0x00, 0xC0, UInt8(program), 0x00, 0x90, UInt8(key), 100, 0x60, 0x80, UInt8(key), 0, 0x00, 0xFF, 0x2F, 0x00,
      ]
      let bytes =
        Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0, 96] + Array("MTrk".utf8) + [0, 0, 0, UInt8(body.count)] + body
      let (result, checked) = try renderer.importMIDI(
        bytes, options: .init(sourceName: "p.mid"), sourceName: "p.pattern")
      #expect(checked.succeeded, "\(checked.diagnostics.map(\.message))")
      #expect(result.source.contains("from \"\(module)\" channel=1;  // GM program \(program),"), "program \(program)")
    }
  }

  @Test("a broken file is one line naming its byte; exit status 1 and no output; a missing file is exit 3")
  func brokenFiles() async throws {
    let dir = Scratch.folder()
    let header = Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 1, 0x01, 0xE0]
    let cases: [(String, [UInt8], String)] = [
      (
        "running", header + Array("MTrk".utf8) + [0, 0, 0, 7, 0x00, 0x3C, 0x40, 0x00, 0xFF, 0x2F, 0x00],
        "byte 23: running status without a status byte (data byte 0x3C)"
      ),
      (
        "smpte", Array("MThd".utf8) + [0, 0, 0, 6, 0, 1, 0, 1, 0xE7, 0x28],
        "byte 12: SMPTE time division (25 frames per second) is not supported; only ticks per quarter note"
      ),
      (
        "cut", Array((header + Array("MTrk".utf8) + [0, 0, 0, 8, 0x00, 0x90, 0x3C, 0x40]).prefix(25)),
        "byte 18: the length of the chunk at byte 14 (8 bytes) runs past the end of the file (3 bytes left)"
      ),
    ]
    for (name, bytes, message) in cases {
      let path = "\(dir)/\(name).mid"
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      let r = try await CLI.run(["import", path, "-o", "\(dir)/\(name).pattern"])
      #expect(r.status == 1)
      #expect(r.stderr == "\(path): \(message)\n")
      #expect(!FileManager.default.fileExists(atPath: "\(dir)/\(name).pattern"))
    }
    let missing = try await CLI.run(["import", "\(dir)/none.mid"])
    #expect(missing.status == 3)
    let badGrid = try await CLI.run(["import", "\(dir)/none.mid", "--grid", "3/0"])
    #expect(badGrid.status == 2)
  }

  @Test("without -o the source goes to stdout; -q prints nothing; --grid quantizes", .enabled(if: Tools.mido))
  func stdoutAndGrid() async throws {
    let dir = Scratch.folder()
    let made = try await Tools.run(Tools.which("python3")!, ["-c", Self.makeFiles, dir])
    #expect(made.status == 0)
    let plain = try await CLI.run(["import", "\(dir)/type0.mid", "-q"])
    #expect(plain.status == 0 && plain.stderr.isEmpty)
    #expect(plain.stdout.hasPrefix("// Imported by `pstudio import` from \"type0.mid\""))
    let gridded = try await CLI.run(["import", "\(dir)/type0.mid", "--grid", "1/8", "-o", "-"])
    #expect(gridded.status == 0 && gridded.stderr.contains("quantized to 1/2 beat"))
    // 24 ticks at 96 PPQ is 1/4 beat: on a grid of eighth notes every note lasts one step.
    #expect(gridded.stdout.contains("piano1 C4 0 dur=1/2 vel=20;"))
    #expect(!gridded.stdout.contains("dur=1/4"))
  }

  @Test(
    "public-domain pieces from music21's corpus (a Bach chorale, a Joplin rag): import, render, round trip",
    .enabled(if: Tools.mido && Tools.music21), .timeLimit(.minutes(4)))
  func music21Corpus() async throws {
    let dir = Scratch.folder()
    let export = """
      import sys
      from music21 import corpus
      for name, out in [('bach/bwv66.6', 'chorale'), ('joplin/maple_leaf_rag', 'rag')]:
          corpus.parse(name).write('midi', fp=sys.argv[1] + '/' + out + '.mid')
      import mido
      for out in ['chorale', 'rag']:
          m = mido.MidiFile(sys.argv[1] + '/' + out + '.mid')
          tempi = [msg.tempo for t in m.tracks for msg in t if msg.type == 'set_tempo']
          print(out, m.length, 60 / (tempi[-1] / 1e6))
      """
    let made = try await Tools.run(Tools.which("python3")!, ["-c", export, dir])
    #expect(made.status == 0)
    for line in made.out.split(separator: "\n") {
      let fields = line.split(separator: " ")
      let (name, midiSeconds, lastBPM) = (String(fields[0]), Double(fields[1])!, Double(fields[2])!)
      let mid = "\(dir)/\(name).mid"
      let (pattern, exported, _) = try await roundTrip(mid)
      let original = try await midoNotes(mid)
      #expect(original.count > (name == "rag" ? 2_000 : 100))
      #expect(try await midoNotes(exported) == original, "\(name): the round trip differs")
      let render = try await CLI.run(["render", pattern, "-o", "\(dir)/\(name).wav", "--stats"])
      #expect(render.status == 0, "\(render.stderr)")
      let stats = try JSONSerialization.jsonObject(with: Data(render.stdout.utf8)) as! [String: Any]
      let seconds = stats["seconds"] as! Double
      #expect((stats["peakDbfs"] as! Double) > -20 && (stats["rmsDbfs"] as! Double) > -40, "\(name) is silent")
      // music21 ends each track a beat after its last note; the render ends when the last note has released.
      #expect(abs(seconds - midiSeconds) <= 60 / lastBPM, "\(name): \(seconds) s of audio, \(midiSeconds) s of MIDI")
    }
  }
}
