internal import CHDF5
import Foundation

/// An open HDF5 file; its groups, datasets and attributes are reached from `root`.
///
/// The file stays open while this object or any group or dataset opened from it lives, and is
/// closed when the last of them goes away; `close()` closes it at once (flushing everything
/// written) and makes later calls on its objects throw `HDF5Error.Kind.closed`. Writers that must
/// produce a complete file before renaming it call `close()` first.
///
/// Thread safety: libhdf5 calls are serialised by `HDF5Library`'s process-wide lock, so a file
/// and its objects may be shared between threads (`Sendable`); calls take turns.
public final class HDF5File: @unchecked Sendable {
  /// How an existing file is opened.
  public enum Mode: Sendable {
    case readOnly, readWrite
  }

  /// The path the file was opened or created with.
  public var path: String { handle.path }
  /// The root group, `/` (h5py's `File.attrs` are its attributes).
  public let root: HDF5Group
  private let handle: HDF5FileHandle

  /// Opens an existing HDF5 file.
  ///
  /// - Throws: `HDF5Error` of kind `cannotOpen` when the file is missing, unreadable, not HDF5,
  ///   truncated, or has a corrupted global heap (see `GlobalHeapCheck`).
  public convenience init(opening path: String, mode: Mode = .readOnly) throws {
    let handle = try HDF5Library.serialized {
      let site = HDF5Site(file: path, object: "/", subject: "file")
      guard FileManager.default.fileExists(atPath: path) else {
        throw HDF5Error(.cannotOpen, file: path, message: "cannot open '\(path)': no such file")
      }
      if let problem = GlobalHeapCheck.problem(inFileAt: path) {
        throw HDF5Error(.cannotOpen, file: path, message: "cannot open '\(path)': \(problem)")
      }
      let access = try HDF5FileHandle.accessProperties(site)
      defer { H5Pclose(access) }
      let flags = mode == .readOnly ? graft_h5f_acc_rdonly() : graft_h5f_acc_rdwr()
      let id = H5Fopen(path, flags, access)
      guard id >= 0 else { throw HDF5FileHandle.openError(path, detail: HDF5ErrorStack.take()) }
      return HDF5FileHandle(id: id, path: path)
    }
    try self.init(handle: handle)
  }

  /// Creates a new HDF5 file, open for reading and writing.
  ///
  /// Groups created in it, the root included, track the creation order of their children.
  ///
  /// - Parameter overwrite: replace an existing file at `path`; otherwise its presence is an
  ///   error.
  public convenience init(creating path: String, overwrite: Bool = false) throws {
    let handle = try HDF5Library.serialized {
      let site = HDF5Site(file: path, object: "/", subject: "file")
      let access = try HDF5FileHandle.accessProperties(site)
      defer { H5Pclose(access) }
      let creation = try HDF5Group.creationProperties(graft_h5p_file_create(), site)
      defer { H5Pclose(creation) }
      let flags = overwrite ? graft_h5f_acc_trunc() : graft_h5f_acc_excl()
      let id = H5Fcreate(path, flags, creation, access)
      guard id >= 0 else {
        let detail = HDF5ErrorStack.take()
        let reason =
          FileManager.default.fileExists(atPath: path) && !overwrite
          ? "file exists" : "cannot create file"
        throw HDF5Error(
          .cannotOpen, file: path, message: "cannot create '\(path)': \(reason)",
          detail: detail)
      }
      return HDF5FileHandle(id: id, path: path)
    }
    try self.init(handle: handle)
  }

  private init(handle: HDF5FileHandle) throws {
    self.handle = handle
    root = try HDF5Group(file: handle, path: "/")
  }

  /// Writes everything buffered for this file to disk, keeping it open.
  public func flush() throws {
    try HDF5Library.serialized {
      let site = HDF5Site(file: path, object: "/", subject: "file")
      try handle.ensureOpen(site)
      try site.check(status: H5Fflush(handle.id, H5F_SCOPE_GLOBAL), "flush")
    }
  }

  /// Closes the file and every group and dataset opened from it, flushing what was written.
  /// Closing a closed file does nothing.
  public func close() throws {
    try HDF5Library.serialized { try handle.close() }
  }
}

/// The libhdf5 file identifier shared by a file and the objects opened from it.
///
/// Files are opened with the *strong* close degree, so closing the file also closes every object
/// still open in it; `isOpen` then tells objects not to close their (now invalid) identifiers.
/// Every property is read and written with the HDF5 lock held.
final class HDF5FileHandle: @unchecked Sendable {
  let id: hid_t
  let path: String
  private(set) var isOpen = true

  init(id: hid_t, path: String) {
    self.id = id
    self.path = path
  }

  deinit { HDF5Library.serialized { if isOpen { H5Fclose(id) } } }

  /// Throws `closed` when the file has been closed.
  func ensureOpen(_ site: HDF5Site) throws {
    guard isOpen else {
      throw HDF5Error(
        .closed, file: path, object: site.object, message: "'\(path)': file is closed")
    }
  }

  func close() throws {
    guard isOpen else { return }
    isOpen = false
    try HDF5Site(file: path, object: "/", subject: "file").check(status: H5Fclose(id), "close")
  }

  /// File access properties: the strong close degree (see the type's documentation).
  static func accessProperties(_ site: HDF5Site) throws -> hid_t {
    let access = try site.check(H5Pcreate(graft_h5p_file_access()), "create access properties for")
    guard H5Pset_fclose_degree(access, H5F_CLOSE_STRONG) >= 0 else {
      let error = site.failure("set the close degree of")
      H5Pclose(access)
      throw error
    }
    return access
  }

  /// The error for a failed `H5Fopen`, recognising the common causes in libhdf5's explanation.
  static func openError(_ path: String, detail: String?) -> HDF5Error {
    let reason: String
    let shownDetail: String?
    switch detail {
    case let detail? where detail.contains("file signature not found"):
      (reason, shownDetail) = ("not an HDF5 file (truncated or corrupted?)", nil)
    case let detail? where detail.contains("truncated file"):
      (reason, shownDetail) = ("file is truncated", detail)
    case let detail? where detail.lowercased().contains("permission"):
      (reason, shownDetail) = ("permission denied", detail)
    default:
      (reason, shownDetail) = ("unreadable or corrupted HDF5 file", detail)
    }
    return HDF5Error(
      .cannotOpen, file: path, message: "cannot open '\(path)': \(reason)", detail: shownDetail)
  }
}
