internal import CHDF5

/// One read or write of a whole attribute or of a dataset selection, with the conversions and
/// checks shared by both.
///
/// `memorySpace` describes the `count` elements in memory (variable-length strings are reclaimed
/// against it); `read` and `write` call `H5Aread`/`H5Dread` (or the writes) with a memory type.
/// Reads convert only where `HDF5ElementType.converts(to:)` allows, so no value is ever rounded
/// or clamped behind the caller's back.
struct HDF5Transfer {
  let site: HDF5Site
  let storedType: HDF5ElementType
  let fileType: hid_t
  let memorySpace: hid_t
  let count: Int
  let read: (_ memoryType: hid_t, _ buffer: UnsafeMutableRawPointer) -> herr_t
  let write: (_ memoryType: hid_t, _ buffer: UnsafeRawPointer) -> herr_t

  /// All elements as `T`.
  func values<T: HDF5Element>(as: T.Type) throws -> [T] {
    if T.self == Bool.self {
      // Read bytes, not `Bool`s: a hostile file could hold values other than 0 and 1.
      var bytes = [UInt8](repeating: 0, count: count)
      try bytes.withUnsafeMutableBytes { try readRaw(into: $0, as: .bool) }
      return bytes.map { $0 != 0 } as! [T]
    }
    try checkRead(as: T.hdf5Type)
    return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      try readRaw(into: UnsafeMutableRawBufferPointer(buffer), as: T.hdf5Type)
      initialized = count
    }
  }

  /// Reads all elements converted to `type` into `buffer`, which holds `count` of them.
  func readRaw(into buffer: UnsafeMutableRawBufferPointer, as type: HDF5ElementType) throws {
    try checkRead(as: type)
    guard count > 0, let base = buffer.baseAddress else { return }
    let memoryType = try type.makeDatatype(site)
    defer { H5Tclose(memoryType) }
    try site.check(status: read(memoryType, base), "read")
  }

  /// Throws unless the stored type converts exactly to `type` and the read fits in memory.
  private func checkRead(as type: HDF5ElementType) throws {
    guard storedType.converts(to: type), let size = type.memorySize else {
      throw site.error(.typeMismatch, "has dtype \(storedType), expected \(type)")
    }
    _ = try HDF5Dataspace.byteCount(count, size, site)
  }

  /// All elements of a fixed- or variable-length string type, decoded as UTF-8 (invalid bytes
  /// become U+FFFD). Fixed-length strings end at their first NUL; space-padded ones also lose
  /// their trailing spaces.
  func strings() throws -> [String] {
    switch storedType {
    case .variableString: return try variableStrings()
    case .fixedString(let length): return try fixedStrings(length: length)
    default: throw site.error(.typeMismatch, "has dtype \(storedType), expected strings")
    }
  }

  private func variableStrings() throws -> [String] {
    _ = try HDF5Dataspace.byteCount(count, HDF5ElementType.variableString.memorySize!, site)
    guard count > 0 else { return [] }
    let memoryType = try site.check(
      H5Tget_native_type(fileType, H5T_DIR_DEFAULT), "read the string type of")
    defer { H5Tclose(memoryType) }
    var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
    let status = pointers.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }
    defer { H5Dvlen_reclaim(memoryType, memorySpace, graft_h5p_default(), &pointers) }
    try site.check(status: status, "read")
    return pointers.map { $0.map { String(cString: $0) } ?? "" }
  }

  private func fixedStrings(length: Int) throws -> [String] {
    let byteCount = try HDF5Dataspace.byteCount(count, length, site)
    guard byteCount > 0 else { return Array(repeating: "", count: count) }
    let memoryType = try site.check(H5Tcopy(fileType), "read the string type of")
    defer { H5Tclose(memoryType) }
    var bytes = [UInt8](repeating: 0, count: byteCount)
    try site.check(
      status: bytes.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }, "read")
    let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
    return (0..<count).map { index in
      var element = bytes[index * length..<(index + 1) * length]
      element = element.prefix { $0 != 0 }
      if spacePadded { while element.last == UInt8(ascii: " ") { element.removeLast() } }
      return String(decoding: element, as: UTF8.self)
    }
  }

  /// Writes `values`, exactly `count` of them, converted to the stored type.
  func write<T: HDF5Element>(_ values: [T]) throws {
    try checkCount(values.count)
    // `as? [Bool]` alone would also match an empty array of any element type.
    if T.self == Bool.self, let flags = values as? [Bool] {
      try flags.map { $0 ? UInt8(1) : 0 }.withUnsafeBytes { try writeRaw($0, as: .bool) }
    } else {
      try values.withUnsafeBytes { try writeRaw($0, as: T.hdf5Type) }
    }
  }

  /// Writes `count` elements of `type` from `bytes`, converted to the stored type.
  func writeRaw(_ bytes: UnsafeRawBufferPointer, as type: HDF5ElementType) throws {
    guard type.converts(to: storedType) else {
      throw site.error(.typeMismatch, "has dtype \(storedType), cannot store \(type) values")
    }
    guard count > 0, let base = bytes.baseAddress else { return }
    let memoryType = try type.makeDatatype(site)
    defer { H5Tclose(memoryType) }
    try site.check(status: write(memoryType, base), "write")
  }

  /// Writes `strings`, exactly `count` of them, into a string type of either kind.
  func write(strings: [String]) throws {
    try checkCount(strings.count)
    if let bad = strings.first(where: { $0.utf8.contains(0) }) {
      throw site.error(
        .invalidArgument, "cannot store a string containing NUL: \(bad.debugDescription)")
    }
    guard count > 0 else { return }
    switch storedType {
    case .variableString: try writeVariable(strings)
    case .fixedString(let length): try writeFixed(strings, length: length)
    default: throw site.error(.typeMismatch, "has dtype \(storedType), cannot store strings")
    }
  }

  private func writeVariable(_ strings: [String]) throws {
    var characters: [CChar] = []
    var offsets: [Int] = []
    for string in strings {
      offsets.append(characters.count)
      characters += string.utf8.map { CChar(bitPattern: $0) } + [0]
    }
    let memoryType = try site.check(
      H5Tget_native_type(fileType, H5T_DIR_DEFAULT), "read the string type of")
    defer { H5Tclose(memoryType) }
    let status = characters.withUnsafeBufferPointer { characters in
      let pointers = offsets.map { Optional(characters.baseAddress! + $0) }
      return pointers.withUnsafeBytes { write(memoryType, $0.baseAddress!) }
    }
    try site.check(status: status, "write")
  }

  private func writeFixed(_ strings: [String], length: Int) throws {
    var bytes = [UInt8](repeating: 0, count: try HDF5Dataspace.byteCount(count, length, site))
    for (index, string) in strings.enumerated() {
      guard string.utf8.count <= length else {
        throw site.error(
          .shapeMismatch,
          "holds strings of at most \(length) bytes, \(string.debugDescription) has "
            + "\(string.utf8.count)")
      }
      bytes.replaceSubrange(index * length..<index * length + string.utf8.count, with: string.utf8)
    }
    let memoryType = try site.check(H5Tcopy(fileType), "read the string type of")
    defer { H5Tclose(memoryType) }
    try site.check(status: bytes.withUnsafeBytes { write(memoryType, $0.baseAddress!) }, "write")
  }

  private func checkCount(_ given: Int) throws {
    guard given == count else {
      throw site.error(.shapeMismatch, "holds \(count) elements, cannot write \(given)")
    }
  }
}
