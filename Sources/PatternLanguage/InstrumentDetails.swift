import Synchronization

/// An instrument's summary and playable range, computed once, on first use, by whichever thread asks first.
final class InstrumentDetails: Sendable {
  private let state = Mutex<(summary: String, playable: Playable)?>(nil)
  private let make: @Sendable () -> (summary: String, playable: Playable)

  init(_ make: @escaping @Sendable () -> (summary: String, playable: Playable)) { self.make = make }

  var value: (summary: String, playable: Playable) {
    state.withLock { known in
      if let known { return known }
      let made = make()
      known = made
      return made
    }
  }
}
