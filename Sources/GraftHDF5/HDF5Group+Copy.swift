internal import CHDF5

/// Copying objects between groups, within a file or from another file.
extension HDF5Group {
  /// Copies the group or dataset at `source` (relative to `group`, or absolute in its file) to
  /// `destination` in this group, with everything below it and its attributes, byte for byte
  /// (`H5Ocopy`: datasets keep their type, layout, chunks and filters). Missing groups on the
  /// way to `destination` are created.
  ///
  /// - Throws: `missingObject` when nothing is at `source`, `invalidArgument` when something
  ///   already is at `destination`.
  public func copy(_ source: String, from group: HDF5Group, to destination: String) throws {
    try locked {
      try group.file.ensureOpen(group.site)
      let from = try group.absolute(source)
      guard try group.kind(atAbsolute: from) != nil else {
        throw HDF5Error(
          .missingObject, file: group.file.path, object: from,
          message: "'\(group.file.path)': nothing at '\(from)' to copy")
      }
      let to = try absolute(destination)
      let site = HDF5Site(file: file.path, object: to, subject: "copy of '\(from)'")
      try expectNothing(at: to, site)
      try createGroups(through: String(to[..<to.lastIndex(of: "/")!]))
      try site.check(
        status: H5Ocopy(
          group.file.id, from, file.id, to, graft_h5p_default(), graft_h5p_default()),
        "create")
    }
  }
}
