import Foundation
import PatternLanguage

/// The studio page `pstudio serve` answers at `/`: HTML, CSS and JavaScript written here (no CDN, no npm), a
/// favicon, and the Content-Security-Policy every one of them is served with. Each asset's text lives in its
/// own file (`StudioPage+*.swift`).
enum StudioPage {
  /// Only this origin's scripts, styles and API; audio from `blob:` URLs the page makes from its renders; no
  /// inline script or style, no frames, no forms posting elsewhere.
  static let contentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    + "media-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

  static let assets: [StudioAsset] =
    [
      StudioAsset(
        path: "/", contentType: "text/html; charset=utf-8",
        text: html.replacingOccurrences(
          of: "{{BUILTINS}}", with: InstrumentCatalog.builtIn.builtins.map(\.id.rawValue).joined(separator: " "))),
      StudioAsset(path: "/favicon.svg", contentType: "image/svg+xml", text: favicon),
      // Browsers ask for /favicon.ico on their own; an SVG answers it too.
      StudioAsset(path: "/favicon.ico", contentType: "image/svg+xml", text: favicon),
      StudioAsset(path: "/studio/studio.css", contentType: "text/css; charset=utf-8", text: css),
    ]
    + scripts.map {
      StudioAsset(path: "/studio/\($0.name)", contentType: "text/javascript; charset=utf-8", text: $0.text)
    }

  /// The page's ES modules (`app.js` imports the others).
  static let scripts: [(name: String, text: String)] = [
    ("app.js", appScript), ("api.js", apiScript), ("editor.js", editorScript), ("highlight.js", highlightScript),
    ("waveform.js", waveformScript), ("roll.js", rollScript), ("library.js", libraryScript),
    ("storage.js", storageScript), ("problems.js", problemsScript), ("welcome.js", welcomeScript),
    ("account.js", accountScript), ("files.js", filesScript),
  ]
}
