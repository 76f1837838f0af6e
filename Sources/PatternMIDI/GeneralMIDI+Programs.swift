extension GeneralMIDI {
  /// The 128 General MIDI Level 1 program names, by 0-based program number.
  static let programNames: [String] = [
    // 0–7 piano
    "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano", "Electric Piano 1",
    "Electric Piano 2", "Harpsichord", "Clavinet",
    // 8–15 chromatic percussion
    "Celesta", "Glockenspiel", "Music Box", "Vibraphone", "Marimba", "Xylophone", "Tubular Bells", "Dulcimer",
    // 16–23 organ
    "Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ", "Reed Organ", "Accordion", "Harmonica",
    "Tango Accordion",
    // 24–31 guitar
    "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)", "Electric Guitar (clean)",
    "Electric Guitar (muted)", "Overdriven Guitar", "Distortion Guitar", "Guitar Harmonics",
    // 32–39 bass
    "Acoustic Bass", "Electric Bass (finger)", "Electric Bass (pick)", "Fretless Bass", "Slap Bass 1", "Slap Bass 2",
    "Synth Bass 1", "Synth Bass 2",
    // 40–47 strings
    "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings", "Pizzicato Strings", "Orchestral Harp", "Timpani",
    // 48–55 ensemble
    "String Ensemble 1", "String Ensemble 2", "Synth Strings 1", "Synth Strings 2", "Choir Aahs", "Voice Oohs",
    "Synth Voice", "Orchestra Hit",
    // 56–63 brass
    "Trumpet", "Trombone", "Tuba", "Muted Trumpet", "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2",
    // 64–71 reed
    "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet",
    // 72–79 pipe
    "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle", "Ocarina",
    // 80–87 synth lead
    "Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)", "Lead 5 (charang)",
    "Lead 6 (voice)", "Lead 7 (fifths)", "Lead 8 (bass + lead)",
    // 88–95 synth pad
    "Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)", "Pad 4 (choir)", "Pad 5 (bowed)", "Pad 6 (metallic)",
    "Pad 7 (halo)", "Pad 8 (sweep)",
    // 96–103 synth effects
    "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)", "FX 5 (brightness)", "FX 6 (goblins)",
    "FX 7 (echoes)", "FX 8 (sci-fi)",
    // 104–111 ethnic
    "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba", "Bagpipe", "Fiddle", "Shanai",
    // 112–119 percussive
    "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal",
    // 120–127 sound effects
    "Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet", "Telephone Ring", "Helicopter", "Applause",
    "Gunshot",
  ]

  /// The instrument modules that play a General MIDI program best, nearest first: the shipped library's module
  /// for its family (piano → `grand`, chromatic percussion → `marimba`, organ, guitar, bass, strings and
  /// ensembles → `strings`, voices and effects → `pad`, brass, reeds and synth leads → `lead`, pipes →
  /// `triangle`, sound effects → `noise`), then the plain waveforms, which play C0–C9. An importer takes the
  /// first one that exists and whose range holds every note played with the program.
  ///
  /// - Parameter program: 0 … 127 (0-based, as in the file).
  static func modules(forProgram program: Int) -> [String] {
    let family: [String]
    switch program {
    case 0...7: family = ["grand", "piano"]
    case 8...15: family = ["marimba", "grand"]
    case 16...23: family = ["organ"]
    case 24...31: family = ["guitar"]
    case 32...39: family = ["bass"]
    case 46: family = ["guitar", "grand"]  // harp: plucked
    case 40...51, 55: family = ["strings"]
    case 52...54: family = ["pad", "strings"]  // choirs and voices
    case 56...71: family = ["lead", "saw"]  // brass and reeds
    case 79: family = ["sine"]  // ocarina: the built-in sine's own program
    case 72...78: family = ["triangle"]
    case 80: family = ["square", "lead"]
    case 81...87: family = ["lead", "saw"]
    case 88...103: family = ["pad"]
    case 104...107: family = ["guitar"]  // sitar, banjo, shamisen, koto
    case 108, 112...114: family = ["marimba"]  // kalimba, bells, agogo, steel drums
    case 110: family = ["strings"]  // fiddle
    case 109, 111: family = ["lead"]  // bagpipe, shanai
    case 115...118: family = ["marimba", "noise"]  // woodblock, taiko, toms
    default: family = ["noise"]  // reverse cymbal, sound effects
    }
    return family + ["triangle", "sine", "saw", "square"]
  }

  /// Kit modules for channel 10, nearest first: the shipped `drums` kit, then the built-in `synth` kit.
  static let kitModules = ["drums", "synth"]

  /// The pitched stand-in for drum keys a kit has no sound for (it keeps their keys on channel 10): seeded noise
  /// through a low-pass tuned to the key, which sounds like a drum.
  static let percussionStandIn = ["noise", "triangle", "sine"]

  /// The names General MIDI gives drum key `key`, in `drumKeys` order (empty when it names none).
  static func drumNames(forKey key: UInt8) -> [String] { drumKeys.filter { $0.key == key }.map(\.hit) }
}
