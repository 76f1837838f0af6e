/// A closure handed to `concurrentPerform`, whose items touch disjoint state (the mix graph's stages and
/// `MeasuredPlan`); a struct, so handing it over allocates nothing.
struct UncheckedBody: @unchecked Sendable {
  let run: (Int) -> Void
}
