import Glibc
import Synchronization

/// The temporary files this process is writing, so an interrupted process removes them (SIGINT, SIGTERM,
/// SIGHUP: the handler unlinks them and re-raises the signal), and a later run removes those a killed process
/// (SIGKILL, power loss) left behind: `.NAME.PID.N.partial` whose PID is no longer running.
///
/// The registry is a fixed table of C strings so the signal handler touches nothing but `unlink` and memory
/// that is never freed while registered.
public enum TemporaryFiles {
  static let capacity = 256
  /// Slots hold `strdup`ed paths; nil when free.
  nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    p.initialize(repeating: nil, count: capacity)
    return p
  }()
  static let lock = Mutex<Void>(())

  /// Remembers `path` until `unregister`; returns its slot (nil if the table is full: the file is then only
  /// removed by normal cleanup).
  public static func register(_ path: String) -> Int? {
    lock.withLock { _ in
      for i in 0..<capacity where slots[i] == nil {
        slots[i] = strdup(path)
        return i
      }
      return nil
    }
  }

  public static func unregister(_ slot: Int?) {
    guard let slot else { return }
    lock.withLock { _ in
      let p = slots[slot]
      slots[slot] = nil
      free(p)
    }
  }

  /// Installs handlers for SIGINT, SIGTERM and SIGHUP that delete every registered file, then let the signal
  /// do what it would have done (so the exit status still says "killed by SIGTERM").
  public static func removeOnSignals() {
    // A parent may have started us with these blocked (the mask is inherited): unblock them, or an
    // interrupt would wait for the render to finish.
    var set = sigset_t()
    sigemptyset(&set)
    for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      signal(sig) { sig in
        for i in 0..<TemporaryFiles.capacity {
          if let p = TemporaryFiles.slots[i] { unlink(p) }
        }
        // A child that must not outlive us (`pstudio play`'s player) hears the same signal.
        let child = TemporaryFiles.child.load(ordering: .relaxed)
        if child > 0 { kill(child, sig) }
        signal(sig, SIG_DFL)
        raise(sig)
      }
    }
  }

  /// The process a signal should also stop (0: none): see `stopWithUs`.
  static let child = Atomic<Int32>(0)

  /// Makes SIGINT, SIGTERM and SIGHUP that end this process end `pid` too (nil: no child any more). One
  /// child at a time: a player, say, that keeps sound coming after its parent is gone.
  public static func stopWithUs(_ pid: Int32?) {
    child.store(pid ?? 0, ordering: .relaxed)
  }

  /// Distinguishes temporary files of writers in one process (the pid distinguishes processes).
  private static let serial = Atomic<Int>(0)

  /// `FOLDER/.BASE.PID.N.partial`: the temporary name of a file being written to `FOLDER/BASE`.
  static func partialName(folder: String, base: String) -> String {
    "\(folder).\(base).\(getpid()).\(serial.add(1, ordering: .relaxed).newValue).partial"
  }

  /// The folder a path is in (without a trailing slash; "." for a bare name).
  public static func folder(of path: String) -> String {
    let folder = split(path).folder
    return folder.isEmpty ? "." : folder == "/" ? "/" : String(folder.dropLast())
  }

  /// A path's folder (with its trailing slash, or "" for the current one) and file name.
  static func split(_ path: String) -> (folder: String, base: String) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return (folder, base)
  }

  /// Deletes every `.NAME.PID.N.partial` in `folder` whose process is gone: what killed renders, exports and
  /// `verify --update` runs left there (a start-up sweep of our own temporary names, nothing else).
  public static func sweep(folder: String) {
    removeStale(folder: folder.hasSuffix("/") || folder.isEmpty ? folder : folder + "/", base: nil)
  }

  /// Deletes `.BASE.PID.N.partial` files in `folder` (for the destination named `base`, or any destination
  /// when nil) whose process is gone.
  static func removeStale(folder: String, base: String?) {
    guard let dir = opendir(folder.isEmpty ? "." : folder) else { return }
    defer { closedir(dir) }
    while let entry = readdir(dir) {
      // Read the name in place, up to its NUL: readdir's entries are only as long as their names, so copying
      // the whole 256-byte `d_name` field reads past the end of the entry (AddressSanitizer caught it).
      let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
      let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
      guard name.hasPrefix("."), name.hasSuffix(".partial") else { continue }
      if let base, !name.hasPrefix(".\(base).") { continue }
      // NAME may hold dots itself: PID and N are the two parts before ".partial".
      let parts = name.dropLast(".partial".count).split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count >= 4, let pid = Int32(parts[parts.count - 2]), Int(parts[parts.count - 1]) != nil
      else { continue }
      if processIsGone(pid) { unlink(folder + name) }
    }
  }

  /// Whether no process has `pid` (and it is not this one): what a leftover named after its writer's pid needs
  /// before it is deleted.
  public static func processIsGone(_ pid: Int32) -> Bool {
    pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
  }
}
