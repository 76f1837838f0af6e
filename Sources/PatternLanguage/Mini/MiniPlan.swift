/// A mini-notation statement, checked: its pattern, what each word plays, and where its cycles fall.
struct MiniPlan {
  var notation: MiniNotation
  /// What each leaf plays (nil for a number leaf).
  var notes: [PickedNote?]
  /// Beats from the enclosing block, motif or section where cycle 0 starts.
  var start: BeatTime
  /// Beats one cycle spans.
  var over: BeatTime
  var cycles: Int
  /// `dur=`: every event's length in beats (nil: each lasts its span).
  var duration: BeatTime?
  /// The note's own sound per event length, so a ramp "over the note" fits each event (empty when the statement
  /// sets none).
  var expressions: [BeatTime: NoteExpression] = [:]
  /// The events, computed once when nothing in the string is random (`?`, `|`); nil otherwise.
  var fixed: [MiniHap]?
}
