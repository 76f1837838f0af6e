// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/favicon.svg`: four notes on a roll.
  static let favicon = #"""
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1b2230"/><rect x="10" y="14" width="18" height="8" rx="2" fill="#5ec8f2"/><rect x="24" y="28" width="22" height="8" rx="2" fill="#f2b45e"/><rect x="36" y="42" width="18" height="8" rx="2" fill="#9be37a"/></svg>
"""#
}
