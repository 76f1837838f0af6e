import Foundation
import Glibc
import Synchronization

/// The case being run, kept on disk (rewritten in place) so a crash leaves its input behind.
final class CaseFile: Sendable {
  let fd: Int32
  init(path: String) {
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  }
  /// `# seed N` on the first line, then the case.
  func write(seed: UInt64, bytes: [UInt8]) {
    guard fd >= 0 else { return }
    let data = Array("// seed \(seed)\n".utf8) + bytes
    ftruncate(fd, 0)
    _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, data.count, 0) }
  }
}

/// Aborts the process when one case runs longer than `seconds` (a hang), naming it.
final class Watchdog: Sendable {
  private let current = Atomic<UInt64>(0)
  private let startedAt = Atomic<Int64>(0)
  private let running = Atomic<Bool>(true)

  init(seconds: Double, caseFile: CaseFile) {
    Thread { [self] in
      while running.load(ordering: .relaxed) {
        usleep(200_000)
        let start = startedAt.load(ordering: .relaxed)
        if start > 0 && Watchdog.now() - start > Int64(seconds * 1e9) {
          let seed = current.load(ordering: .relaxed)
          FileHandle.standardError.write(Data("hang: case \(seed) ran over \(seconds) s\n".utf8))
          exit(3)
        }
      }
    }.start()
  }

  func begin(_ seed: UInt64) {
    current.store(seed, ordering: .relaxed)
    startedAt.store(Watchdog.now(), ordering: .relaxed)
  }

  func end() { running.store(false, ordering: .relaxed) }

  static func now() -> Int64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
  }
}

/// HTTP/1.1 POSTs over one keep-alive loopback connection (reconnecting when the server closes it).
final class HTTPClient {
  let port: Int32
  private var fd: Int32 = -1

  init(port: Int32) { self.port = port }

  /// The response status of a JSON POST (0: no answer).
  func post(_ path: String, json: String) -> Int {
    for _ in 0..<2 {
      if fd < 0 { connectSocket() }
      let body = Array(json.utf8)
      let head =
        "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
      let request = Array(head.utf8) + body
      if sendAll(request), let status = readResponse() { return status }
      close(fd)
      fd = -1
    }
    return 0
  }

  private func connectSocket() {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if ok != 0 {
      close(fd)
      fd = -1
    }
  }

  private func sendAll(_ bytes: [UInt8]) -> Bool {
    guard fd >= 0 else { return false }
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { return false }
      done += n
    }
    return true
  }

  /// Reads one response (headers, then Content-Length bytes); its status.
  private func readResponse() -> Int? {
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var headerEnd: Int?
    var length = 0
    while true {
      if let end = headerEnd, data.count >= end + length { break }
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n <= 0 { return nil }
      data += buffer[0..<n]
      if headerEnd == nil, let range = findHeaderEnd(data) {
        headerEnd = range
        let head = String(decoding: data[0..<range], as: UTF8.self).lowercased()
        if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
          length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
      }
    }
    let statusLine = String(decoding: data.prefix(20), as: UTF8.self).split(separator: " ")
    let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
    if String(decoding: data[0..<(headerEnd ?? 0)], as: UTF8.self).lowercased().contains("connection: close") {
      close(fd)
      fd = -1
    }
    return status
  }

  private func findHeaderEnd(_ data: [UInt8]) -> Int? {
    guard data.count >= 4 else { return nil }
    for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
      return i + 4
    }
    return nil
  }
}

extension Duration {
  var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
