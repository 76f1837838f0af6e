import Foundation
import PatternStudio

/// One file of the studio page, compiled into the binary (the page works with the network off and needs no
/// files beside `pstudio`).
struct StudioAsset: Sendable {
  /// The URL path it is served at (`/studio/app.js`).
  var path: String
  var contentType: String
  var bytes: [UInt8]
  /// A strong validator: the first 128 bits of the body's SHA-256, hex, quoted.
  var etag: String

  init(path: String, contentType: String, text: String) {
    self.path = path
    self.contentType = contentType
    bytes = Array(text.utf8)
    etag = "\"" + Hex.sha256(bytes).prefix(32) + "\""
  }
}
