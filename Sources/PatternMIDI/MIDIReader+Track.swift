extension MIDIReader {
  /// Reads the events of one `MTrk` chunk after another, counting events across the whole file against the
  /// limits. Every failure names the absolute offset of the byte that is wrong.
  struct TrackReading {
    let limits: Limits
    /// The latest allowed tick (`limits.maxBeats` × ticks per quarter).
    let maxTick: Int64
    /// Events read so far in the file.
    var events = 0

    init(limits: Limits, maxTick: Int64) {
      self.limits = limits
      self.maxTick = maxTick
    }

    /// The events of the chunk `r` is bounded to, and the tick the track ends at.
    mutating func track(_ r: inout ByteReader) throws -> (events: [MIDIEvent], end: Int64) {
      var events: [MIDIEvent] = []
      var tick: Int64 = 0
      var status: UInt8 = 0
      while !r.atEnd {
        r.eventStart = nil
        let deltaAt = r.index
        tick += Int64(try r.vlq())
        guard tick <= maxTick else {
          throw Failure(
            offset: deltaAt,
            message: "an event at tick \(tick) is past the limit of \(limits.maxBeats) beats (tick \(maxTick))")
        }
        self.events += 1
        let start = r.index
        guard self.events <= limits.maxEvents else {
          throw Failure(offset: start, message: "more than \(limits.maxEvents) events")
        }
        r.eventStart = start
        var first = try r.u8()
        if first & 0x80 != 0 {
          status = first
          if status < 0xF0 { first = try data(&r) }
        } else if status == 0 {
          throw Failure(
            offset: start, message: "running status without a status byte (data byte 0x\(hex(first)))")
        }
        let channel = status & 0x0F
        switch status & 0xF0 {
        case 0x80:
          events.append(MIDIEvent(tick: tick, .noteOff(channel: channel, key: first, velocity: try data(&r))))
        case 0x90:
          let v = try data(&r)
          // Note-on with velocity 0 is a note-off.
          events.append(
            MIDIEvent(
              tick: tick,
              v == 0
                ? .noteOff(channel: channel, key: first, velocity: 0)
                : .noteOn(channel: channel, key: first, velocity: v)))
        case 0xA0: _ = try data(&r)
        case 0xB0:
          events.append(
            MIDIEvent(tick: tick, .controlChange(channel: channel, controller: first, value: try data(&r))))
        case 0xC0: events.append(MIDIEvent(tick: tick, .programChange(channel: channel, program: first)))
        case 0xD0: break
        case 0xE0:
          let msb = try data(&r)
          events.append(MIDIEvent(tick: tick, .pitchBend(channel: channel, value: UInt16(msb) << 7 | UInt16(first))))
        default:
          switch status {
          case 0xFF:
            let type = try r.u8()
            let length = Int(try r.vlq())
            let body = try r.take(length)
            if type == 0x2F { return (events, tick) }
            if let event = try meta(type, body, at: start) { events.append(MIDIEvent(tick: tick, event)) }
          case 0xF0, 0xF7: try r.skip(Int(try r.vlq()))
          default:
            throw Failure(offset: start, message: "status byte 0x\(hex(status)) is not allowed in a MIDI file")
          }
          // Meta events and SysEx cancel running status.
          status = 0
        }
      }
      return (events, tick)
    }

    /// A data byte (0 … 127) of a channel message.
    private func data(_ r: inout ByteReader) throws -> UInt8 {
      let at = r.index
      let b = try r.u8()
      guard b < 0x80 else {
        throw Failure(
          offset: at,
          message: "expected a data byte (0 … 127), found 0x\(hex(b)) in the event that starts at byte "
            + "\(r.eventStart ?? at)")
      }
      return b
    }

    /// The meta events the reader keeps (tempo, time signature, text, track name); nil for the others.
    private func meta(_ type: UInt8, _ body: ArraySlice<UInt8>, at start: Int) throws -> MIDIEvent.Kind? {
      let data = Array(body)
      switch type {
      case 0x51:
        guard data.count == 3 else {
          throw Failure(offset: start, message: "a tempo event holds 3 bytes; this one holds \(data.count)")
        }
        let us = UInt32(data[0]) << 16 | UInt32(data[1]) << 8 | UInt32(data[2])
        guard limits.microsecondsPerQuarter.contains(us) else { throw tempoFailure(us, at: start) }
        return .tempo(microsecondsPerQuarter: us)
      case 0x58 where data.count >= 2: return .timeSignature(numerator: data[0], denominatorPower: data[1])
      case 0x01: return .text(String(decoding: data, as: UTF8.self))
      case 0x03: return .trackName(String(decoding: data, as: UTF8.self))
      default: return nil
      }
    }

    private func tempoFailure(_ us: UInt32, at start: Int) -> Failure {
      let range = limits.microsecondsPerQuarter
      let bpm = us == 0 ? "" : " (\(Self.bpm(us)) BPM)"
      let allowed =
        "\(range.lowerBound) … \(range.upperBound) µs (\(Self.bpm(range.upperBound)) … \(Self.bpm(range.lowerBound)) BPM)"
      return Failure(offset: start, message: "a tempo of \(us) µs per quarter note\(bpm) is outside \(allowed)")
    }

    /// 60,000,000 / µs, to two decimals (for messages).
    static func bpm(_ us: UInt32) -> String {
      guard us > 0 else { return "∞" }
      let hundredths = (6_000_000_000 + UInt64(us) / 2) / UInt64(us)
      let cents = hundredths % 100
      return "\(hundredths / 100)" + (cents == 0 ? "" : "." + (cents < 10 ? "0" : "") + "\(cents)")
    }
  }
}
