import Foundation
import Testing

@testable import PatternAudioIO

/// `HugePageBuffer` gives memory on 2 MB boundaries that the kernel is asked to back with huge pages (the
/// writer's direct-write buffers live there): every byte writable, and the advice on the mapping that holds it.
@Suite("Huge page buffers")
struct HugePageBufferTests {
  /// The `VmFlags` of the mapping of this process that contains `address` (`/proc/self/smaps`), nil if none.
  static func flags(of address: Int) throws -> [String]? {
    // Read to its end: a /proc file reports a size of 0.
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
    defer { try? handle.close() }
    let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    var inside = false
    for line in smaps.split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
        let bounds = range.split(separator: "-").compactMap { Int($0, radix: 16) }
        inside = bounds.count == 2 && (bounds[0]..<bounds[1]).contains(address)
      } else if inside, fields.first == "VmFlags:" {
        return fields.dropFirst().map(String.init)
      }
    }
    return nil
  }

  @Test("memory on a 2 MB boundary, all of it writable, advised as huge pages")
  func alignedWritableAdvised() throws {
    let bytes = 4 * DirectFile.capacity
    let memory = HugePageBuffer.allocate(byteCount: bytes)
    defer { memory.deallocate() }
    #expect(Int(bitPattern: memory) % HugePageBuffer.hugePage == 0)
    #expect(HugePageBuffer.hugePage % DirectFile.alignment == 0)
    memory.initializeMemory(as: UInt8.self, repeating: 0xA5, count: bytes)
    let view = memory.bindMemory(to: UInt8.self, capacity: bytes)
    #expect(view[0] == 0xA5 && view[bytes / 2] == 0xA5 && view[bytes - 1] == 0xA5)
    #if os(Linux)
      // `hg`: MADV_HUGEPAGE is set on the mapping (whether huge pages back it is the kernel's choice). A kernel
      // without transparent huge pages refuses the advice: nothing to check there.
      if FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled") {
        let flags = try Self.flags(of: Int(bitPattern: memory) + bytes / 2)
        #expect(flags?.contains("hg") == true, "VmFlags: \(flags ?? [])")
      }
    #endif
  }
}
