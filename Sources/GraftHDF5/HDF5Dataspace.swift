internal import CHDF5
import Foundation

/// Shapes and sizes read from dataspaces, guarded so that a hostile file cannot make GraftHDF5
/// allocate absurd buffers or overflow an `Int`.
enum HDF5Dataspace {
  /// No read may need more bytes than the machine has memory: a larger claim is corruption (or
  /// must be read in row ranges).
  static let maximumReadBytes = Int(clamping: ProcessInfo.processInfo.physicalMemory)

  /// The current shape of `space`: `[]` for a scalar.
  ///
  /// - Throws: `wrongKind` for a null dataspace (h5py's `Empty`), which holds no element at all.
  static func shape(of space: hid_t, _ site: HDF5Site) throws -> [Int] {
    try dims(of: space, site).current
  }

  /// The maximum shape of `space`, `nil` where a dimension is unlimited.
  static func maxShape(of space: hid_t, _ site: HDF5Site) throws -> [Int?] {
    try dims(of: space, site).maximum
  }

  private static func dims(of space: hid_t, _ site: HDF5Site) throws
    -> (current: [Int], maximum: [Int?])
  {
    let spaceClass = H5Sget_simple_extent_type(space)
    try site.check(status: spaceClass.rawValue, "read the dataspace of")
    if spaceClass == H5S_NULL { throw site.error(.wrongKind, "holds no data (null dataspace)") }
    if spaceClass == H5S_SCALAR { return ([], []) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    try site.check(status: rank, "read the rank of")
    guard rank <= Int(H5S_MAX_RANK) else { throw site.error(.tooLarge, "has rank \(rank)") }
    var current = [hsize_t](repeating: 0, count: rank)
    var maximum = [hsize_t](repeating: 0, count: rank)
    try site.check(
      status: H5Sget_simple_extent_dims(space, &current, &maximum), "read the shape of")
    let unlimited = graft_h5s_unlimited()
    let shape = try current.map { dim in
      guard let size = Int(exactly: dim) else { throw site.error(.tooLarge, "has a dim of \(dim)") }
      return size
    }
    return (shape, maximum.map { $0 == unlimited ? nil : Int(exactly: $0) })
  }

  /// `shape`'s element count, checked for overflow.
  static func elementCount(_ shape: [Int], _ site: HDF5Site) throws -> Int {
    try shape.reduce(1) { count, dim in try multiply(count, dim, site, what: "shape \(shape)") }
  }

  /// Bytes needed for `count` elements of `elementSize` bytes, at most `maximumReadBytes`.
  static func byteCount(_ count: Int, _ elementSize: Int, _ site: HDF5Site) throws -> Int {
    let bytes = try multiply(count, elementSize, site, what: "\(count) elements")
    guard bytes <= maximumReadBytes else {
      throw site.error(.tooLarge, "needs \(bytes) bytes, more than this machine's memory")
    }
    return bytes
  }

  private static func multiply(_ a: Int, _ b: Int, _ site: HDF5Site, what: String) throws -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    guard !overflow else { throw site.error(.tooLarge, "has an absurd size (\(what))") }
    return product
  }

  /// A new simple dataspace of `shape` (scalar when `shape` is empty), its first dimension
  /// unlimited when `extendable`. The caller closes it.
  static func create(shape: [Int], extendable: Bool = false, _ site: HDF5Site) throws -> hid_t {
    if shape.isEmpty { return try site.check(H5Screate(H5S_SCALAR), "create a dataspace for") }
    var current = shape.map { hsize_t($0) }
    var maximum = current
    if extendable { maximum[0] = graft_h5s_unlimited() }
    return try site.check(
      H5Screate_simple(Int32(shape.count), &current, &maximum), "create a dataspace for")
  }
}
