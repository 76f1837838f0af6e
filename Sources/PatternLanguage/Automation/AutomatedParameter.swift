/// What automation needs to know about the parameter it moves: its name for messages, unit, valid range,
/// how it interpolates, and its value when an LFO gives no `center=`.
struct AutomatedParameter {
  var name: String
  /// "dB", "Hz", "s", "beats", "semitones", "" …
  var unit: String
  var range: ClosedRange<Double>
  var scale: Automation.Scale
  var defaultValue: Double
  /// An example of a moving value for hints.
  var example: String

  init(
    name: String, unit: String, range: ClosedRange<Double>, defaultValue: Double, example: String? = nil
  ) {
    self.name = name
    self.unit = unit
    self.range = range
    self.scale = unit == "Hz" || unit == "×" ? .octaves : .linear
    self.defaultValue = defaultValue
    self.example =
      example
      ?? "\(name)=\(formatNumber(range.lowerBound)) -> \(formatNumber(range.upperBound)) over 8"
  }

  /// "-96 … 24 dB"
  var rangeText: String {
    "\(formatNumber(range.lowerBound)) … \(formatNumber(range.upperBound))" + (unit.isEmpty ? "" : " \(unit)")
  }
}

/// Where automation's times count from.
enum AutomationTimeBase {
  /// Song beats (`at 32`, `at 9:1`, curve points): a track's, a send's or an effect's parameter.
  case song
  /// Beats from the note's start; a ramp without `over` lasts `noteLength`.
  case note(length: BeatTime)
}
