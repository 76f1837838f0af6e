/// Glide is legato-aware, as on a mono synth: a note with `glide=` that starts while an earlier note of the
/// same instrument on the same track is still held slides from that note's pitch, and that note is cut where
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
    // Per track and instrument: the notes that may still be held (pruned as time moves on).
    var held: [String: [Int]] = [:]
    for i in events.indices {
      let e = events[i]
      guard case .pitch = e.note else { continue }
      let key = "\(e.track)|\(e.instrument.id.rawValue)"
      var candidates = (held[key] ?? []).filter { events[$0].start + events[$0].duration >= e.start }
      if let glide = e.expression.glideSeconds, glide > 0,
        let from = candidates.last(where: { events[$0].start < e.start })
      {
        if case .pitch(let previous) = events[from].note {
          events[i].expression.glideFrom = previous
          if events[i].envelope.attackSeconds == nil { events[i].envelope.attackSeconds = handOverSeconds }
          events[from].duration = e.start - events[from].start
          events[from].envelope.releaseSeconds = min(events[from].envelope.releaseSeconds ?? .infinity, handOverSeconds)
          candidates.removeAll { $0 == from }
        }
      }
      candidates.append(i)
      held[key] = candidates
    }
    return events
  }
}
