import Foundation
import Synchronization
import Testing

@testable import PatternEngine

@Suite("The pipelined mix's item scheduler")
struct MeasuredPlanTests {
  @Test("every item runs exactly once per chunk, on any number of threads, across the reorders")
  func everyItemOnce() {
    for threads in [1, 2, 3, 8] {
      let plan = MeasuredPlan(estimates: [14, 15, 15, 4, 7, 7, 7, 7])
      let chunks = MeasuredPlan.settle + MeasuredPlan.reorders.max()! + 5
      let runs = Mutex([Int](repeating: 0, count: 8))
      for chunk in 0..<chunks {
        plan.run(threads: threads) { item in runs.withLock { $0[item] += 1 } }
        let counts = runs.withLock { $0 }
        #expect(counts == [Int](repeating: chunk + 1, count: 8), "threads \(threads), chunk \(chunk)")
        #expect(plan.order.sorted() == Array(0..<8))
      }
    }
  }

  @Test("the order starts from the estimates and then follows measured time, longest first")
  func followsMeasuredTime() {
    let plan = MeasuredPlan(estimates: [1, 1, 1, 5])
    #expect(plan.order == [3, 0, 1, 2])
    // Item 0 takes 3 ms a chunk, the others nothing: once measured, it goes first (the others would need 24 ms of
    // preemption in 8 chunks to pass it).
    let chunks = MeasuredPlan.settle + MeasuredPlan.reorders.min()!
    for _ in 0..<chunks {
      plan.run(threads: 2) { item in
        guard item == 0 else { return }
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(3) {}
      }
    }
    #expect(plan.order.first == 0)
    #expect(plan.order.sorted() == [0, 1, 2, 3])
  }
}
