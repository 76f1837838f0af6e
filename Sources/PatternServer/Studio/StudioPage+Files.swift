// swift-format-ignore-file
// The text below is served as is; edit it here (it is not generated).

extension StudioPage {
  /// `/studio/files.js`: downloads named after the song.
  static let filesScript = #"""
// Downloads: a file name from the song's name, and a blob handed to the browser as a file.

/** A file name for downloads: the song's name without characters file systems refuse. */
export function fileBase(songName) {
  const safe = songName.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "_").replace(/^[.\s]+/, "").slice(0, 100).trim();
  return safe || "pattern";
}

/** Saves `blob` as `fileName` (the browser's download), and lets go of its URL a minute later. */
export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
"""#
}
