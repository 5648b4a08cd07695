internal import CHDF5
import Foundation

/// Process-wide facts about the HDF5 library Graft is linked with, and the lock around it.
///
/// Every libhdf5 call in GraftHDF5 runs inside `serialized(_:)`, which holds one process-wide
/// recursive lock. libhdf5 builds without thread safety keep their identifier tables and metadata
/// cache in unguarded globals; Debian's `hdf5-serial` 1.10.8 happens to be built thread-safe, but
/// GraftHDF5 does not rely on it, and the lock also makes its own multi-call operations (append
/// = resize + write, split attributes) atomic. That is what makes the handle types (`HDF5File`,
/// `HDF5Group`, `HDF5Dataset`) honestly `Sendable`: they may be shared across threads, and
/// concurrent calls simply take turns. The lock is recursive because a handle's `deinit` (which
/// closes its identifier) can run while the lock is already held.
public enum HDF5Library {
  /// `major.minor.release` of the linked libhdf5.
  public static var version: String {
    serialized {
      var major: UInt32 = 0
      var minor: UInt32 = 0
      var release: UInt32 = 0
      H5get_libversion(&major, &minor, &release)
      return "\(major).\(minor).\(release)"
    }
  }

  private static let lock = NSRecursiveLock()

  /// Runs `body` with the process-wide HDF5 lock held.
  ///
  /// Also turns off libhdf5's automatic printing of its error stack to stderr: errors are
  /// reported through `HDF5Error` instead. A thread-safe libhdf5 keeps one error stack, and one
  /// such setting, per thread, so this is done on every entry (it costs one cheap call).
  static func serialized<R>(_ body: () throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    H5Eset_auto2(graft_h5e_default(), nil, nil)
    return try body()
  }
}
