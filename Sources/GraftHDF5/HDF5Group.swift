internal import CHDF5

/// What an HDF5 path leads to.
public enum HDF5ObjectKind: Sendable, Equatable, CustomStringConvertible {
  case group, dataset
  /// A committed datatype or another object GraftHDF5 does not open.
  case other

  public var description: String {
    switch self {
    case .group: "group"
    case .dataset: "dataset"
    case .other: "object that is neither group nor dataset"
    }
  }
}

/// The order in which `HDF5Group.childNames(order:)` lists children.
public enum HDF5ChildOrder: Sendable {
  /// Alphabetical (byte) order, what h5py's iteration gives by default.
  case name
  /// The order the children were created in, for groups that track it (every group GraftHDF5
  /// creates); other groups (h5py's default) fall back to name order.
  case creation
}

/// A group: a folder of named groups and datasets, with attributes.
///
/// Paths given to a group's methods are relative to it (`dense/kernel:0`) or absolute
/// (`/model_weights/dense`); `.` components are ignored and `..` is not supported, as in HDF5.
public final class HDF5Group: HDF5Object, @unchecked Sendable {
  /// Opens the group at absolute `path`; call with the HDF5 lock held.
  init(file: HDF5FileHandle, path: String) throws {
    let site = HDF5Site(file: file.path, object: path, subject: "group '\(path)'")
    let id = try site.check(H5Gopen2(file.id, path, graft_h5p_default()), "open")
    super.init(file: file, path: path, id: id, kind: "group")
  }

  /// The names of the group's children (groups, datasets and other links).
  public func childNames(order: HDF5ChildOrder = .name) throws -> [String] {
    try locked {
      let index =
        try order == .creation && tracksCreationOrder() ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME
      var names: [String] = []
      let status = withUnsafeMutablePointer(to: &names) { names in
        H5Literate(
          id, index, H5_ITER_INC, nil,
          { _, name, _, names in
            names!.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name!))
            return 0
          }, names)
      }
      try site.check(status: status, "list the children of")
      return names
    }
  }

  /// What `path` leads to, or `nil` when nothing is there.
  public func kind(of path: String) throws -> HDF5ObjectKind? {
    try locked { try kind(atAbsolute: try absolute(path)) }
  }

  /// Whether `path` leads to a group, dataset or other object.
  public func contains(_ path: String) throws -> Bool { try kind(of: path) != nil }

  /// Opens the group at `path`.
  ///
  /// - Throws: `missingObject` (`'x.h5': no group '/a/b'`) or `wrongKind` when it is a dataset.
  public func group(_ path: String) throws -> HDF5Group {
    try locked {
      let path = try absolute(path)
      try expect(.group, at: path)
      return try HDF5Group(file: file, path: path)
    }
  }

  /// Opens the dataset at `path`.
  ///
  /// - Throws: `missingObject` (`'x.h5': no dataset '/a/kernel:0'`) or `wrongKind`.
  public func dataset(_ path: String) throws -> HDF5Dataset {
    try locked {
      let path = try absolute(path)
      try expect(.dataset, at: path)
      return try HDF5Dataset(file: file, path: path)
    }
  }

  /// Creates a group at `path`, and any missing groups on the way to it (all tracking the
  /// creation order of their children).
  ///
  /// - Throws: `invalidArgument` when something already exists at `path`.
  public func createGroup(_ path: String) throws -> HDF5Group {
    try locked {
      let path = try absolute(path)
      let site = HDF5Site(file: file.path, object: path, subject: "group '\(path)'")
      try expectNothing(at: path, site)
      try createGroups(through: path)
      return try HDF5Group(file: file, path: path)
    }
  }

  /// Opens the group at `path`, creating it (and missing groups on the way) if nothing is there.
  public func requireGroup(_ path: String) throws -> HDF5Group {
    try locked { try contains(path) ? try group(path) : try createGroup(path) }
  }

  /// `path` made absolute and normalised (`/a/b`), the root being `/`.
  func absolute(_ path: String) throws -> String {
    let base = path.hasPrefix("/") ? [] : self.path.split(separator: "/")
    let components = (base + path.split(separator: "/")).filter { $0 != "." }
    guard !components.contains(".."), !path.utf8.contains(0) else {
      throw site.error(.invalidArgument, "cannot resolve path \(path.debugDescription)")
    }
    return "/" + components.joined(separator: "/")
  }

  /// Creates the groups on the way to absolute `path` and `path` itself, where missing, each
  /// tracking creation order; throws when one of them exists but is not a group.
  func createGroups(through path: String) throws {
    var prefix = ""
    for component in path.split(separator: "/") {
      prefix += "/" + component
      let site = HDF5Site(file: file.path, object: prefix, subject: "group '\(prefix)'")
      switch try kind(atAbsolute: prefix) {
      case .group?: continue
      case let other?:
        throw HDF5Error(
          .wrongKind, file: file.path, object: prefix,
          message: "'\(file.path)': '\(prefix)' is a \(other), not a group")
      case nil:
        let creation = try Self.creationProperties(graft_h5p_group_create(), site)
        defer { H5Pclose(creation) }
        let id = try site.check(
          H5Gcreate2(
            file.id, prefix, graft_h5p_default(), creation, graft_h5p_default()), "create")
        H5Gclose(id)
      }
    }
  }

  /// What absolute `path` leads to, walking it one link at a time so that a missing or
  /// non-group component gives `nil` rather than a libhdf5 error.
  func kind(atAbsolute path: String) throws -> HDF5ObjectKind? {
    var prefix = ""
    var kind = HDF5ObjectKind.group
    for component in path.split(separator: "/") {
      guard kind == .group else { return nil }
      prefix += "/" + component
      let site = HDF5Site(file: file.path, object: prefix, subject: "link '\(prefix)'")
      guard try site.check(truth: H5Lexists(file.id, prefix, graft_h5p_default()), "look up")
      else { return nil }
      var info = H5O_info_t()
      try site.check(
        status: H5Oget_info_by_name2(
          file.id, prefix, &info, UInt32(H5O_INFO_BASIC), graft_h5p_default()), "resolve")
      kind =
        switch info.type {
        case H5O_TYPE_GROUP: .group
        case H5O_TYPE_DATASET: .dataset
        default: .other
        }
    }
    return kind
  }

  /// Throws unless absolute `path` leads to an object of `kind`.
  private func expect(_ expected: HDF5ObjectKind, at path: String) throws {
    let found = try kind(atAbsolute: path)
    guard found == expected else {
      let message =
        found == nil
        ? "no \(expected) '\(path)'" : "'\(path)' is a \(found!), not a \(expected)"
      throw HDF5Error(
        found == nil ? .missingObject : .wrongKind, file: file.path, object: path,
        message: "'\(file.path)': \(message)")
    }
  }

  /// Throws `invalidArgument` when something already exists at absolute `path`.
  func expectNothing(at path: String, _ site: HDF5Site) throws {
    if let existing = try kind(atAbsolute: path) {
      throw HDF5Error(
        .invalidArgument, file: file.path, object: path,
        message: "'\(file.path)': cannot create \(site.subject): a \(existing) exists there")
    }
  }

  private func tracksCreationOrder() throws -> Bool {
    let creation = try site.check(H5Gget_create_plist(id), "read the properties of")
    defer { H5Pclose(creation) }
    var flags: UInt32 = 0
    try site.check(status: H5Pget_link_creation_order(creation, &flags), "read the properties of")
    return flags & UInt32(H5P_CRT_ORDER_TRACKED) != 0
  }

  /// Group (or file) creation properties that track and index the creation order of links.
  static func creationProperties(_ propertyClass: hid_t, _ site: HDF5Site) throws -> hid_t {
    let properties = try site.check(H5Pcreate(propertyClass), "create properties for")
    let flags = UInt32(H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED)
    guard H5Pset_link_creation_order(properties, flags) >= 0 else {
      let error = site.failure("set the properties of")
      H5Pclose(properties)
      throw error
    }
    return properties
  }

}
