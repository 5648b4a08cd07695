internal import CHDF5

/// Creating datasets in a group. Missing groups on the way to the new dataset are created;
/// something already at its path is an error (`invalidArgument`).
extension HDF5Group {
  /// Creates a dataset of `elementType` and `shape`, filled with zeros (empty strings).
  ///
  /// An extendable dataset starts with `shape[0]` rows (often 0) and grows with `appendRows`.
  /// String datasets take `.variableString` or `.fixedString(length:)`.
  public func createDataset(
    _ path: String, elementType: HDF5ElementType, shape: [Int],
    layout: HDF5DatasetLayout = .contiguous
  ) throws -> HDF5Dataset {
    try locked {
      let path = try absolute(path)
      let site = HDF5Site(file: file.path, object: path, subject: "dataset '\(path)'")
      guard shape.allSatisfy({ $0 >= 0 }) else {
        throw site.error(.invalidArgument, "cannot be created with shape \(shape)")
      }
      try expectNothing(at: path, site)
      let chunk = try layout.chunkShape(for: shape, site)
      let creation = try Self.datasetCreationProperties(chunk: chunk, layout: layout, site)
      defer { H5Pclose(creation) }
      let type = try elementType.makeDatatype(site)
      defer { H5Tclose(type) }
      let space = try HDF5Dataspace.create(shape: shape, extendable: layout.extendable, site)
      defer { H5Sclose(space) }
      try createGroups(through: String(path[..<path.lastIndex(of: "/")!]))
      let id = try site.check(
        H5Dcreate2(
          file.id, path, type, space, graft_h5p_default(), creation, graft_h5p_default()),
        "create")
      H5Dclose(id)
      return try HDF5Dataset(file: file, path: path)
    }
  }

  /// Creates a dataset holding `values` with `shape` (default: one dimension of
  /// `values.count`).
  public func createDataset<T: HDF5Element>(
    _ path: String, values: [T], shape: [Int]? = nil, layout: HDF5DatasetLayout = .contiguous
  ) throws -> HDF5Dataset {
    try createDataset(path, elementType: T.hdf5Type, shape: shape ?? [values.count], layout: layout)
    { try $0.write(values) }
  }

  /// Creates a one-dimensional dataset holding `strings`.
  public func createDataset(
    _ path: String, strings: [String], storage: HDF5StringStorage = .variableLength,
    layout: HDF5DatasetLayout = .contiguous
  ) throws -> HDF5Dataset {
    try createDataset(
      path, elementType: .stringType(for: strings, storage), shape: [strings.count],
      layout: layout
    ) { try $0.write(strings: strings) }
  }

  /// Creates a dataset and fills it with `write`; when filling fails, the dataset is removed.
  func createDataset(
    _ path: String, elementType: HDF5ElementType, shape: [Int], layout: HDF5DatasetLayout,
    write: (HDF5Dataset) throws -> Void
  ) throws -> HDF5Dataset {
    try locked {
      let dataset = try createDataset(path, elementType: elementType, shape: shape, layout: layout)
      do {
        try write(dataset)
      } catch {
        H5Ldelete(file.id, dataset.path, graft_h5p_default())
        throw error
      }
      return dataset
    }
  }

  private static func datasetCreationProperties(
    chunk: [Int]?, layout: HDF5DatasetLayout, _ site: HDF5Site
  ) throws -> hid_t {
    let properties = try site.check(H5Pcreate(graft_h5p_dataset_create()), "create properties for")
    do {
      if var chunk = chunk?.map({ hsize_t($0) }) {
        try site.check(
          status: H5Pset_chunk(properties, Int32(chunk.count), &chunk), "set the chunks of")
        if layout.shuffle { try site.check(status: H5Pset_shuffle(properties), "set shuffle on") }
        if let level = layout.gzipLevel {
          try site.check(status: H5Pset_deflate(properties, UInt32(level)), "set gzip on")
        }
      }
    } catch {
      H5Pclose(properties)
      throw error
    }
    return properties
  }
}
