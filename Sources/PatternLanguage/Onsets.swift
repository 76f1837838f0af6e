/// A note statement's start times, in beats: one for almost every statement, held inline; several (`euclid`, an
/// arp's run) in an array. An array per statement was one allocation of every note a song has.
enum Onsets: RandomAccessCollection {
  case one(BeatTime)
  case many([BeatTime])

  var startIndex: Int { 0 }

  var endIndex: Int {
    switch self {
    case .one: 1
    case .many(let all): all.count
    }
  }

  subscript(position: Int) -> BeatTime {
    switch self {
    case .one(let onset):
      precondition(position == 0, "index out of range")
      return onset
    case .many(let all): return all[position]
    }
  }
}
