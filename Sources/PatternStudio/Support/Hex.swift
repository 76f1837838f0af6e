import Crypto
import Foundation

/// Hexadecimal text: digests for golden files, manifests and up-to-date keys. The one place that formats hex.
package enum Hex {
  /// Lower-case hex of bytes, two digits each.
  package static func string(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String($0, radix: 16).leftPadded(2) }.joined()
  }

  /// The top `digits` hex digits of `x` (16: all of it).
  package static func string(_ x: UInt64, digits: Int) -> String {
    String(x >> UInt64(64 - 4 * digits), radix: 16).leftPadded(digits)
  }

  /// SHA-256 of `data`, in hex.
  package static func sha256(_ data: some DataProtocol) -> String { string(SHA256.hash(data: data)) }

  /// SHA-256 of UTF-8 text, in hex.
  package static func sha256(text: String) -> String { sha256(Data(text.utf8)) }
}

extension String {
  /// Left-padded with zeros to `width` characters.
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
