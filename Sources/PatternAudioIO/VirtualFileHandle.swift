import CSndFile

/// What libsndfile's `user_data` points at for a `VirtualFile`, and the C callbacks that reach it (they can
/// capture nothing, so the file travels in `user_data`). Keep the handle alive while libsndfile has it open.
final class VirtualFileHandle {
  let file: any VirtualFile

  init(_ file: any VirtualFile) { self.file = file }

  /// The `user_data` to open libsndfile with.
  var user: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

  private static func file(_ user: UnsafeMutableRawPointer?) -> any VirtualFile {
    Unmanaged<VirtualFileHandle>.fromOpaque(user!).takeUnretainedValue().file
  }

  static var callbacks: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { user in sf_count_t(VirtualFileHandle.file(user).length) },
      seek: { offset, whence, user in
        let file = VirtualFileHandle.file(user)
        file.position = VirtualSeek.position(
          offset: offset, whence: whence, current: file.position, length: file.length)
        return sf_count_t(file.position)
      },
      read: { pointer, count, user in
        guard let pointer, count > 0 else { return 0 }
        return sf_count_t(VirtualFileHandle.file(user).read(into: pointer, count: Int(count)))
      },
      write: { pointer, count, user in
        guard let pointer, count > 0 else { return 0 }
        return sf_count_t(VirtualFileHandle.file(user).write(pointer, count: Int(count)))
      },
      tell: { user in sf_count_t(VirtualFileHandle.file(user).position) })
  }
}
