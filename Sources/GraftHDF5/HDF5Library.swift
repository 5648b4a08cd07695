internal import CHDF5
import Foundation

/// Process-wide facts about the HDF5 library Graft is linked with, and the lock around it.
///
/// Debian's `hdf5-serial` is built without thread safety: its error stack, identifier tables and
/// metadata cache are unguarded globals. Every libhdf5 call in GraftHDF5 therefore runs inside
/// `serialized(_:)`, which holds one process-wide recursive lock. That is what makes the handle
/// types (`HDF5File`, `HDF5Group`, `HDF5Dataset`) honestly `Sendable`: they may be shared across
/// threads, and concurrent calls simply take turns. The lock is recursive because a handle's
/// `deinit` (which closes its identifier) can run while the lock is already held.
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

  /// The lock; creating it also turns off libhdf5's automatic printing of its error stack to
  /// stderr, once, before any other call (errors are reported through `HDF5Error` instead).
  private static let lock: NSRecursiveLock = {
    H5Eset_auto2(graft_h5e_default(), nil, nil)
    return NSRecursiveLock()
  }()

  /// Runs `body` with the process-wide HDF5 lock held.
  static func serialized<R>(_ body: () throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
