/// A value handed to the threads of a `concurrentPerform` that the compiler cannot prove safe to share: inputs only
/// read there (arrays and trees no thread changes), or objects each used by one iteration alone.
struct Unchecked<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
