internal import CHDF5

/// A dataset: an n-dimensional array of one element type, with attributes.
///
/// Rows are slices along the first dimension. Reads give elements in row-major (C) order and
/// convert only exactly (`HDF5ElementType.converts(to:)`): reading an int64 dataset as `Float`
/// throws `'x.h5': dataset '/labels' has dtype int64, expected float32`.
public final class HDF5Dataset: HDF5Object, @unchecked Sendable {
  /// The stored element type.
  public let elementType: HDF5ElementType
  /// The chunk shape, or `nil` for contiguous (or compact) storage.
  public let chunkShape: [Int]?

  /// Opens the dataset at absolute `path`; call with the HDF5 lock held.
  init(file: HDF5FileHandle, path: String) throws {
    let site = HDF5Site(file: file.path, object: path, subject: "dataset '\(path)'")
    let id = try site.check(H5Dopen2(file.id, path, graft_h5p_default()), "open")
    do {
      let type = try site.check(H5Dget_type(id), "read the type of")
      defer { H5Tclose(type) }
      elementType = try HDF5ElementType(datatype: type, site)
      chunkShape = try Self.chunkShape(of: id, site)
    } catch {
      H5Dclose(id)
      throw error
    }
    super.init(file: file, path: path, id: id, kind: "dataset")
  }

  /// The current shape (`[]` for a scalar); the first dimension grows as rows are appended.
  public var shape: [Int] {
    get throws { try withSpace { try HDF5Dataspace.shape(of: $0, site) } }
  }

  /// The maximum shape, `nil` where a dimension is unlimited.
  public var maxShape: [Int?] {
    get throws { try withSpace { try HDF5Dataspace.maxShape(of: $0, site) } }
  }

  /// All elements as `T`.
  public func read<T: HDF5Element>(as type: T.Type = T.self) throws -> [T] {
    try transfer(rows: nil) { transfer, _ in try transfer.values(as: T.self) }
  }

  /// The elements of rows `rows` (a hyperslab along the first dimension) as `T`.
  public func readRows<T: HDF5Element>(_ rows: Range<Int>, as type: T.Type = T.self) throws
    -> [T]
  {
    try transfer(rows: rows) { transfer, _ in try transfer.values(as: T.self) }
  }

  /// All elements of a string dataset (either storage).
  public func readStrings() throws -> [String] {
    try transfer(rows: nil) { transfer, _ in try transfer.strings() }
  }

  /// The strings of rows `rows`.
  public func readStrings(rows: Range<Int>) throws -> [String] {
    try transfer(rows: rows) { transfer, _ in try transfer.strings() }
  }

  /// Overwrites the whole dataset with `values`, exactly as many as it holds.
  public func write<T: HDF5Element>(_ values: [T]) throws {
    try transfer(rows: nil) { transfer, _ in try transfer.write(values) }
  }

  /// Overwrites the whole string dataset with `strings`.
  public func write(strings: [String]) throws {
    try transfer(rows: nil) { transfer, _ in try transfer.write(strings: strings) }
  }

  /// Appends `values` as new rows: their count must be a multiple of the row size (the product
  /// of the dims after the first). The dataset must be extendable (or have room below its
  /// maximum shape).
  public func appendRows<T: HDF5Element>(_ values: [T]) throws {
    try appendRows(elementCount: values.count) { try $0.write(values) }
  }

  /// Appends `strings` as new rows of a string dataset.
  public func appendRows(strings: [String]) throws {
    try appendRows(elementCount: strings.count) { try $0.write(strings: strings) }
  }

  /// Sets the number of rows, dropping rows beyond it or adding rows of zeros (empty strings).
  ///
  /// - Throws: `shapeMismatch` when `rows` exceeds the maximum shape.
  public func resize(rows: Int) throws {
    try locked {
      var dims = try shape
      guard !dims.isEmpty else { throw site.error(.shapeMismatch, "is a scalar, it has no rows") }
      guard rows >= 0 else { throw site.error(.invalidArgument, "cannot have \(rows) rows") }
      if let maximum = try maxShape[0], rows > maximum {
        throw site.error(
          .shapeMismatch, "cannot grow to \(rows) rows: its maximum is \(maximum) (not extendable)")
      }
      dims[0] = rows
      var extent = dims.map { hsize_t($0) }
      try site.check(status: H5Dset_extent(id, &extent), "resize")
    }
  }

  /// Grows the dataset by the rows `elementCount` elements fill, then lets `body` write them;
  /// when the write fails, the dataset shrinks back.
  func appendRows(elementCount: Int, _ body: (HDF5Transfer) throws -> Void) throws {
    try locked {
      let dims = try shape
      guard let rows = dims.first else {
        throw site.error(.shapeMismatch, "is a scalar, it has no rows")
      }
      let rowSize = try HDF5Dataspace.elementCount(Array(dims.dropFirst()), site)
      guard rowSize > 0, elementCount % rowSize == 0 else {
        throw site.error(
          .shapeMismatch, "has rows of \(rowSize) elements, cannot append \(elementCount)")
      }
      let (total, overflow) = rows.addingReportingOverflow(elementCount / rowSize)
      guard !overflow else { throw site.error(.tooLarge, "cannot grow beyond \(rows) rows") }
      try resize(rows: total)
      do {
        try transfer(rows: rows..<total) { transfer, _ in try body(transfer) }
      } catch {
        try? resize(rows: rows)
        throw error
      }
    }
  }

  /// Selects `rows` (all of the dataset when `nil`) and hands `body` a transfer over the
  /// selection and its shape.
  func transfer<R>(rows: Range<Int>?, _ body: (HDF5Transfer, [Int]) throws -> R) throws -> R {
    try locked {
      let type = try site.check(H5Dget_type(id), "read the type of")
      defer { H5Tclose(type) }
      let fileSpace = try site.check(H5Dget_space(id), "read the dataspace of")
      defer { H5Sclose(fileSpace) }
      var selected = try HDF5Dataspace.shape(of: fileSpace, site)
      if let rows {
        try select(rows, in: fileSpace, shape: selected)
        selected[0] = rows.count
      }
      let memorySpace = try HDF5Dataspace.create(shape: selected, site)
      defer { H5Sclose(memorySpace) }
      let transfer = HDF5Transfer(
        site: site, storedType: elementType, fileType: type, memorySpace: memorySpace,
        count: try HDF5Dataspace.elementCount(selected, site),
        read: { H5Dread(self.id, $0, memorySpace, fileSpace, graft_h5p_default(), $1) },
        write: { H5Dwrite(self.id, $0, memorySpace, fileSpace, graft_h5p_default(), $1) })
      return try body(transfer, selected)
    }
  }

  /// Selects rows `rows` of `space` (whose shape is `shape`) as a hyperslab.
  private func select(_ rows: Range<Int>, in space: hid_t, shape: [Int]) throws {
    guard let rowCount = shape.first else {
      throw site.error(.shapeMismatch, "is a scalar, it has no rows")
    }
    guard rows.lowerBound >= 0, rows.upperBound <= rowCount else {
      throw site.error(
        .shapeMismatch,
        "has \(rowCount) rows, cannot select rows \(rows.lowerBound)..<\(rows.upperBound)")
    }
    guard !rows.isEmpty else {
      return try site.check(status: H5Sselect_none(space), "select rows of")
    }
    var start = [hsize_t](repeating: 0, count: shape.count)
    start[0] = hsize_t(rows.lowerBound)
    var count = shape.map { hsize_t($0) }
    count[0] = hsize_t(rows.count)
    try site.check(
      status: H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nil, &count, nil),
      "select rows of")
  }

  private func withSpace<R>(_ body: (hid_t) throws -> R) throws -> R {
    try locked {
      let space = try site.check(H5Dget_space(id), "read the dataspace of")
      defer { H5Sclose(space) }
      return try body(space)
    }
  }

  private static func chunkShape(of id: hid_t, _ site: HDF5Site) throws -> [Int]? {
    let creation = try site.check(H5Dget_create_plist(id), "read the properties of")
    defer { H5Pclose(creation) }
    let layout = H5Pget_layout(creation)
    try site.check(status: layout.rawValue, "read the layout of")
    guard layout == H5D_CHUNKED else { return nil }
    var dims = [hsize_t](repeating: 0, count: Int(H5S_MAX_RANK))
    let rank = H5Pget_chunk(creation, H5S_MAX_RANK, &dims)
    try site.check(status: rank, "read the chunk shape of")
    return try dims.prefix(Int(rank)).map { dim in
      guard let size = Int(exactly: dim) else {
        throw site.error(.tooLarge, "has chunks of \(dim)")
      }
      return size
    }
  }
}
