internal import CHDF5

/// How strings are stored when written.
public enum HDF5StringStorage: Sendable {
  /// Variable-length UTF-8, what h5py writes for `str` (h5py reads them back as `str`).
  case variableLength
  /// Fixed-length, NUL-padded to the longest string's UTF-8 byte count (at least 1), what numpy's
  /// `S` dtype and Keras's `layer_names` / `weight_names` use (h5py reads them back as `bytes`).
  case fixedLength
}

/// The stored type and shape of an attribute.
public struct HDF5AttributeInfo: Sendable, Equatable {
  public let elementType: HDF5ElementType
  /// `[]` for a scalar.
  public let shape: [Int]

  public init(elementType: HDF5ElementType, shape: [Int]) {
    self.elementType = elementType
    self.shape = shape
  }
}

/// Attributes of groups and datasets (a file's attributes are its root group's).
///
/// Reads accept any shape (elements come back flattened in row-major order) and convert numbers
/// only exactly (see `HDF5ElementType.converts(to:)`); strings of either storage read alike.
/// Writing an attribute that exists replaces it, as h5py does.
extension HDF5Object {
  /// The names of this object's attributes, in alphabetical (byte) order.
  public func attributeNames() throws -> [String] {
    try locked {
      // libhdf5 1.10 lists attributes through a table that it frees wrongly (reading
      // uninitialised slots) when an attribute message fails to decode. Looking up a name that
      // cannot exist first decodes every attribute message, so a corrupted one fails here cleanly
      // and the listing below only sees messages that decode.
      try site.check(status: H5Aexists(id, "\u{1}"), "list attributes of")
      var names: [String] = []
      let status = withUnsafeMutablePointer(to: &names) { names in
        H5Aiterate2(
          id, H5_INDEX_NAME, H5_ITER_INC, nil,
          { _, name, _, names in
            names!.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name!))
            return 0
          }, names)
      }
      try site.check(status: status, "list attributes of")
      return names
    }
  }

  /// Whether the object has an attribute called `name`.
  public func hasAttribute(_ name: String) throws -> Bool {
    try locked {
      try validate(attributeName: name)
      return try site.attribute(name).check(truth: H5Aexists(id, name), "look up")
    }
  }

  /// The stored type and shape of attribute `name`.
  public func attributeInfo(_ name: String) throws -> HDF5AttributeInfo {
    try readAttribute(name) { HDF5AttributeInfo(elementType: $0.storedType, shape: $1) }
  }

  /// The elements of numeric (or bool) attribute `name` as `T`, flattened.
  public func attribute<T: HDF5Element>(_ name: String, as type: T.Type = T.self) throws -> [T] {
    try readAttribute(name) { transfer, _ in try transfer.values(as: T.self) }
  }

  /// The single element of numeric (or bool) attribute `name` as `T`.
  public func scalarAttribute<T: HDF5Element>(_ name: String, as type: T.Type = T.self) throws
    -> T
  {
    try readAttribute(name) { transfer, _ in
      try single(try transfer.values(as: T.self), transfer.site)
    }
  }

  /// The single string of attribute `name` (a scalar or one-element array, either storage).
  public func stringAttribute(_ name: String) throws -> String {
    try readAttribute(name) { transfer, _ in try single(try transfer.strings(), transfer.site) }
  }

  /// The strings of attribute `name`, flattened; an empty attribute of any type (Keras writes a
  /// layer without weights as an empty float64 array) gives `[]`.
  public func stringArrayAttribute(_ name: String) throws -> [String] {
    try readAttribute(name) { transfer, _ in transfer.count == 0 ? [] : try transfer.strings() }
  }

  /// A string array that Keras may have split: attribute `name` if it exists, else the
  /// concatenation of `name0`, `name1`, … up to the first missing one.
  ///
  /// Keras splits an attribute such as `layer_names` when it would exceed HDF5's 64 KiB
  /// object-header limit; `setSplitStringArrayAttribute(_:_:byteLimit:)` writes the same way.
  ///
  /// - Throws: `missingObject` when neither `name` nor `name0` exists.
  public func splitStringArrayAttribute(_ name: String) throws -> [String] {
    try locked {
      if try hasAttribute(name) { return try stringArrayAttribute(name) }
      var strings: [String] = []
      var part = 0
      while try hasAttribute("\(name)\(part)") {
        strings += try stringArrayAttribute("\(name)\(part)")
        part += 1
      }
      guard part > 0 else { throw missingAttribute(name, orSplit: true) }
      return strings
    }
  }

  /// Sets attribute `name` to a scalar string.
  public func setAttribute(
    _ name: String, _ value: String, storage: HDF5StringStorage = .variableLength
  ) throws {
    try writeAttribute(name, type: .stringType(for: [value], storage), shape: []) {
      try $0.write(strings: [value])
    }
  }

  /// Sets attribute `name` to a one-dimensional array of strings.
  public func setAttribute(
    _ name: String, strings: [String], storage: HDF5StringStorage = .variableLength
  ) throws {
    try writeAttribute(name, type: .stringType(for: strings, storage), shape: [strings.count]) {
      try $0.write(strings: strings)
    }
  }

  /// Sets attribute `name` to a numeric (or bool) scalar.
  public func setAttribute<T: HDF5Element>(_ name: String, _ value: T) throws {
    try writeAttribute(name, type: T.hdf5Type, shape: []) { try $0.write([value]) }
  }

  /// Sets attribute `name` to a one-dimensional numeric (or bool) array.
  public func setAttribute<T: HDF5Element>(_ name: String, _ values: [T]) throws {
    try writeAttribute(name, type: T.hdf5Type, shape: [values.count]) { try $0.write(values) }
  }

  /// Writes a fixed-length string array the way Keras does: as attribute `name` when it fits in
  /// `byteLimit` bytes, else split into `name0`, `name1`, … of at most `byteLimit` bytes each.
  ///
  /// Keras's algorithm, so that Keras reads the result as it reads its own files: every part keeps
  /// the width of the longest string; the array is cut into the fewest `numpy.array_split` parts
  /// (earlier parts one string longer when the count does not divide evenly) that each fit.
  /// Existing `name`, `name0`, `name1`, … attributes are removed first.
  ///
  /// - Throws: `invalidArgument` when one string alone is longer than `byteLimit`.
  public func setSplitStringArrayAttribute(
    _ name: String, _ values: [String], byteLimit: Int = 64512
  ) throws {
    try locked {
      let width = max(1, values.map(\.utf8.count).max() ?? 1)
      guard width <= byteLimit else {
        throw site.attribute(name).error(
          .invalidArgument, "cannot hold a string of \(width) bytes (limit \(byteLimit))")
      }
      try removeAttribute(name)
      var part = 0
      while try hasAttribute("\(name)\(part)") {
        try removeAttribute("\(name)\(part)")
        part += 1
      }
      var parts = 1
      while (values.count + parts - 1) / parts * width > byteLimit { parts += 1 }
      if parts == 1 { return try setAttribute(name, strings: values, storage: .fixedLength) }
      var start = 0
      for part in 0..<parts {
        let size = values.count / parts + (part < values.count % parts ? 1 : 0)
        let slice = Array(values[start..<start + size])
        try writeAttribute("\(name)\(part)", type: .fixedString(length: width), shape: [size]) {
          try $0.write(strings: slice)
        }
        start += size
      }
    }
  }

  /// Removes attribute `name` if it exists.
  public func removeAttribute(_ name: String) throws {
    try locked {
      guard try hasAttribute(name) else { return }
      try site.attribute(name).check(status: H5Adelete(id, name), "remove")
    }
  }

  /// Opens attribute `name` and hands `body` a transfer over all its elements and its shape.
  private func readAttribute<R>(_ name: String, _ body: (HDF5Transfer, [Int]) throws -> R)
    throws -> R
  {
    try locked {
      guard try hasAttribute(name) else { throw missingAttribute(name, orSplit: false) }
      let site = site.attribute(name)
      let attribute = try site.check(H5Aopen(id, name, graft_h5p_default()), "open")
      defer { H5Aclose(attribute) }
      let type = try site.check(H5Aget_type(attribute), "read the type of")
      defer { H5Tclose(type) }
      let space = try site.check(H5Aget_space(attribute), "read the dataspace of")
      defer { H5Sclose(space) }
      let shape = try HDF5Dataspace.shape(of: space, site)
      let transfer = HDF5Transfer(
        site: site, storedType: try HDF5ElementType(datatype: type, site), fileType: type,
        memorySpace: space, count: try HDF5Dataspace.elementCount(shape, site),
        read: { H5Aread(attribute, $0, $1) }, write: { H5Awrite(attribute, $0, $1) })
      return try body(transfer, shape)
    }
  }

  /// Creates (or replaces) attribute `name` and hands `body` a transfer to fill it; a failed
  /// fill removes the attribute again.
  private func writeAttribute(
    _ name: String, type elementType: HDF5ElementType, shape: [Int],
    _ body: (HDF5Transfer) throws -> Void
  ) throws {
    try locked {
      try removeAttribute(name)
      let site = site.attribute(name)
      let type = try elementType.makeDatatype(site)
      defer { H5Tclose(type) }
      let space = try HDF5Dataspace.create(shape: shape, site)
      defer { H5Sclose(space) }
      let attribute = try site.check(
        H5Acreate2(id, name, type, space, graft_h5p_default(), graft_h5p_default()), "create")
      defer { H5Aclose(attribute) }
      do {
        try body(
          HDF5Transfer(
            site: site, storedType: elementType, fileType: type, memorySpace: space,
            count: shape.reduce(1, *), read: { H5Aread(attribute, $0, $1) },
            write: { H5Awrite(attribute, $0, $1) }))
      } catch {
        H5Adelete(id, name)
        throw error
      }
    }
  }

  private func validate(attributeName name: String) throws {
    guard !name.isEmpty, !name.utf8.contains(0) else {
      throw site.error(.invalidArgument, "cannot have an attribute named \(name.debugDescription)")
    }
  }

  private func missingAttribute(_ name: String, orSplit: Bool) -> HDF5Error {
    let split = orSplit ? " (nor '\(name)0', '\(name)1', …)" : ""
    return HDF5Error(
      .missingObject, file: filePath, object: path,
      message: "'\(filePath)': no attribute '\(name)'\(split) on \(site.subject)")
  }

  private func single<T>(_ values: [T], _ site: HDF5Site) throws -> T {
    guard values.count == 1, let value = values.first else {
      throw site.error(.shapeMismatch, "holds \(values.count) elements, expected one")
    }
    return value
  }
}

extension HDF5ElementType {
  /// The string type that stores `strings` with `storage`.
  static func stringType(for strings: [String], _ storage: HDF5StringStorage) -> Self {
    switch storage {
    case .variableLength: .variableString
    case .fixedLength: .fixedString(length: max(1, strings.map(\.utf8.count).max() ?? 1))
    }
  }
}
