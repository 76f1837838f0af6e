import Glibc

/// Writes small files (MIDI, manifests, golden files) the way audio is written: to a temporary name beside
/// the destination, flushed, then renamed, so a failure never leaves a partial file or damages an old one.
public enum AtomicFile {
  /// Writes `bytes` to `path` atomically.
  public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
    let (folder, base) = TemporaryFiles.split(path)
    TemporaryFiles.removeStale(folder: folder, base: base)
    let temporary = TemporaryFiles.partialName(folder: folder, base: base)
    // Registered before it exists: a signal at any moment after the file is created removes it.
    let registration = TemporaryFiles.register(temporary)
    defer { TemporaryFiles.unregister(registration) }
    let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw AudioIOError(.open, path: path, errno: errno) }
    func fail(_ operation: AudioIOError.Operation, _ code: Int32) -> AudioIOError {
      close(fd)
      unlink(temporary)
      return AudioIOError(operation, path: path, errno: code)
    }
    let array = Array(bytes)
    var done = 0
    while done < array.count {
      let n = array.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, array.count - done) }
      if n < 0 {
        if errno == EINTR { continue }
        throw fail(.write, errno)
      }
      done += n
    }
    guard fsync(fd) == 0 else { throw fail(.sync, errno) }
    close(fd)
    guard rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw AudioIOError(.rename, path: path, errno: code)
    }
  }

  /// Writes UTF-8 text to `path` atomically.
  public static func write(text: String, to path: String) throws { try write(Array(text.utf8), to: path) }

  /// Creates `path` and any missing parents (like `mkdir -p`); an existing folder is fine.
  /// - Throws: `AudioIOError` (`.open`) with the errno of the first folder that could not be made.
  public static func createFolder(_ path: String) throws {
    var isFolder = stat()
    if stat(path, &isFolder) == 0 && (isFolder.st_mode & S_IFMT) == S_IFDIR { return }
    let parent = TemporaryFiles.split(path).folder
    if !parent.isEmpty && parent != "/" && parent != path + "/" {
      try createFolder(String(parent.dropLast()))
    }
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
      throw AudioIOError(.open, path: path, errno: errno, detail: "cannot create the folder")
    }
  }
}
