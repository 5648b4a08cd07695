internal import CHDF5

/// A group or dataset in an open HDF5 file: its path, and the attributes attached to it.
///
/// Holds a libhdf5 object identifier, closed when the object goes away (or when its file is
/// closed). `@unchecked Sendable`: all access to the identifier happens with `HDF5Library`'s lock
/// held.
public class HDF5Object: @unchecked Sendable {
  /// The object's absolute path in the file, e.g. `/model_weights/dense`.
  public let path: String
  let file: HDF5FileHandle
  let id: hid_t
  /// How messages name this object: `group '/x'` or `dataset '/x'`.
  let site: HDF5Site

  /// The path of the file the object lives in.
  public var filePath: String { file.path }

  init(file: HDF5FileHandle, path: String, id: hid_t, kind: String) {
    self.file = file
    self.path = path
    self.id = id
    site = HDF5Site(file: file.path, object: path, subject: "\(kind) '\(path)'")
  }

  deinit { HDF5Library.serialized { if file.isOpen { H5Oclose(id) } } }

  /// Runs `body` with the HDF5 lock held, once the file is known to be open.
  func locked<R>(_ body: () throws -> R) throws -> R {
    try HDF5Library.serialized {
      try file.ensureOpen(site)
      return try body()
    }
  }
}
