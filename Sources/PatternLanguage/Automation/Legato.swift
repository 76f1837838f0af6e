/// Glide is legato-aware, as on a mono synth: a note with `glide=` that starts while the note played before it
/// (the same instrument on the same track, started earlier) is still held slides from that note's pitch, and that note is cut where
/// the glide begins (a 5 ms release) so one line of melody sounds, not two. A note after a gap — nothing held
/// when it starts — does not glide.
enum Legato {
  /// The release a note gets when the next note glides out of it, and the gliding note's attack when it has none
  /// of its own: a short crossfade instead of a second attack.
  static let handOverSeconds = 0.005

  /// Fills `expression.glideFrom` of every gliding note in `events` (sorted by start) and cuts the notes they
  /// glide from.
  static func resolve(_ events: [NoteEvent]) -> [NoteEvent] {
    guard events.contains(where: { $0.expression.glideSeconds != nil }) else { return events }
    var events = events
    // Per track and instrument: the note played last (latest start, last in source order among equal starts).
    // A mono line glides from the note it follows, so one note per key is all that is kept: linear time.
    var last: [String: Int] = [:]
    for i in events.indices {
      let e = events[i]
      guard case .pitch = e.note else { continue }
      let key = "\(e.track)|\(e.instrument.id.rawValue)"
      if let glide = e.expression.glideSeconds, glide > 0, let from = last[key], events[from].start < e.start,
        events[from].start + events[from].duration >= e.start, case .pitch(let previous) = events[from].note
      {
        events[i].expression.glideFrom = previous
        if events[i].envelope.attackSeconds == nil { events[i].envelope.attackSeconds = handOverSeconds }
        events[from].duration = e.start - events[from].start
        events[from].envelope.releaseSeconds = min(events[from].envelope.releaseSeconds ?? .infinity, handOverSeconds)
      }
      // A silent note (vel=0) is not a note to glide from.
      if e.velocity > 0 { last[key] = i }
    }
    return events
  }
}
