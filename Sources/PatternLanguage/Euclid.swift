/// Euclidean rhythms: `pulses` onsets spread as evenly as possible over `steps` steps.
public enum Euclid {
  /// The onset steps of E(pulses, steps) by Bjorklund's algorithm (Toussaint, "The Euclidean Algorithm
  /// Generates Traditional Musical Rhythms", 2005), rotated left by `rotation` steps, in ascending order.
  /// E(3,8) = x..x..x. → [0, 3, 6]; E(5,8) = x.xx.xx. → [0, 2, 3, 5, 6]. Rotations are those of Tidal Cycles'
  /// `bjorklund` (E(3,4) = xxx., which Toussaint lists as its rotation x.xx).
  public static func onsets(pulses: Int, steps: Int, rotation: Int = 0) -> [Int] {
    precondition(steps > 0 && (0...steps).contains(pulses) && rotation >= 0)
    if pulses == 0 { return [] }
    let pattern = bjorklund(pulses: pulses, steps: steps)
    let r = rotation % steps
    return (0..<steps).filter { pattern[($0 + r) % steps] }
  }

  /// Bjorklund's pairing: start with `pulses` groups [x] and `steps − pulses` groups [.], then repeatedly
  /// append one remainder group to each leading group until at most one remainder group is left.
  static func bjorklund(pulses: Int, steps: Int) -> [Bool] {
    // No pulses: nothing to pair (the loop below would never shrink its remainder).
    if pulses <= 0 { return [Bool](repeating: false, count: steps) }
    var groups: [[Bool]] = Array(repeating: [true], count: pulses)
    var remainder: [[Bool]] = Array(repeating: [false], count: steps - pulses)
    while remainder.count > 1 {
      let n = min(groups.count, remainder.count)
      var merged: [[Bool]] = []
      merged.reserveCapacity(n)
      for i in 0..<n { merged.append(groups[i] + remainder[i]) }
      // What was not paired becomes the new remainder: leftover leading groups, else leftover remainders.
      let rest = groups.count > n ? Array(groups[n...]) : Array(remainder[n...])
      groups = merged
      remainder = rest
    }
    return (groups + remainder).flatMap { $0 }
  }
}
