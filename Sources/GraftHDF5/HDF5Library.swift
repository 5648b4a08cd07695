internal import CHDF5

/// Process-wide facts about the HDF5 library Graft is linked with.
public enum HDF5Library {
  /// `major.minor.release` of the linked libhdf5.
  public static var version: String {
    var major: UInt32 = 0
    var minor: UInt32 = 0
    var release: UInt32 = 0
    H5get_libversion(&major, &minor, &release)
    return "\(major).\(minor).\(release)"
  }
}
