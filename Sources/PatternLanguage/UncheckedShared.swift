/// Values handed to the threads of a `concurrentPerform` that the compiler cannot prove safe to share: built
/// before and only read there (arrays and trees no thread changes), or objects each used by one iteration alone.
package final class UncheckedShared<T>: @unchecked Sendable {
  package let value: T
  package init(_ value: T) { self.value = value }
}
