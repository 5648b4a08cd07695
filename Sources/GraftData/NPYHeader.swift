import Foundation
import GraftIR

/// The header of a `.npy` file: element type, shape, byte order and where the elements start.
///
/// Parsed from the first bytes of the file alone, fetched through a closure, so that `NPY.read`
/// (the whole file in memory) and `NPYFile` (a file read a range of rows at a time) share one
/// parser. The file's size is checked against the shape here, so a truncated file is refused
/// when it is opened rather than when its last rows are read.
struct NPYHeader: Sendable {
  /// The element type.
  let dtype: DType
  /// The array's shape (`[]` for a scalar).
  let shape: [Int]
  /// Whether elements are stored big-endian (`>` in `descr`) and must be swapped after reading.
  let bigEndian: Bool
  /// Offset of the first element from the start of the file (a multiple of 64 when NumPy wrote
  /// it).
  let dataOffset: Int
  /// Bytes of elements: the product of `shape` times `dtype.byteSize`.
  let byteCount: Int

  /// Parses the header of the `fileSize`-byte file at `path`, reading bytes with `read`.
  ///
  /// - Parameter read: the bytes of a range of the file, which always lies within `fileSize`.
  /// - Throws: `NPYError.invalid` naming `path` for a bad magic, version, header or element
  ///   type, Fortran order, or a data size that does not match the shape.
  init(path: String, fileSize: Int, read: (Range<Int>) throws -> [UInt8]) throws {
    func fail(_ reason: String) -> NPYError { .invalid(path: path, reason: reason) }
    guard fileSize >= 10, try read(0..<6) == NPY.magic else {
      throw fail("the file does not start with the .npy magic")
    }
    let major = try read(6..<7)[0]
    let headerStart = major == 1 ? 10 : 12
    guard (1...3).contains(major), fileSize >= headerStart else {
      throw fail("unknown format version \(major)")
    }
    // The header length: 2 bytes little-endian in version 1.0, 4 bytes from 2.0 on.
    let headerLength = try read(8..<headerStart).reversed().reduce(0) { $0 << 8 | Int($1) }
    guard headerLength <= fileSize - headerStart else { throw fail("the header is truncated") }
    let header = String(
      decoding: try read(headerStart..<(headerStart + headerLength)), as: UTF8.self)
    guard let descr = Self.field("descr", in: header).map(Self.unquote), descr.count >= 3 else {
      throw fail("the header has no 'descr'")
    }
    let order = descr.first!
    let code = String(descr.dropFirst())
    guard let dtype = DType.allCases.first(where: { NPY.typeCode($0) == code }) else {
      throw fail(
        "element type '\(descr)' is not supported (float16/32/64, int8/32/64, uint8, bool)")
    }
    guard order == "<" || order == "|" || (order == ">" && dtype.byteSize > 1) || order == "="
    else {
      throw fail("unknown byte order in '\(descr)'")
    }
    guard Self.field("fortran_order", in: header)?.hasPrefix("False") == true else {
      throw fail("Fortran-order arrays are not supported; save with np.ascontiguousarray")
    }
    guard let shapeText = Self.field("shape", in: header), shapeText.hasPrefix("(") else {
      throw fail("the header has no 'shape'")
    }
    var shape: [Int] = []
    for part in shapeText.dropFirst().prefix(while: { $0 != ")" }).split(separator: ",") {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard let size = Int(trimmed), size >= 0 else { throw fail("invalid shape \(shapeText)") }
      shape.append(size)
    }
    guard let count = ShapeRules.checkedProduct(shape),
      count.multipliedReportingOverflow(by: dtype.byteSize).overflow == false
    else { throw fail("shape \(shape) is too large") }
    let byteCount = count * dtype.byteSize
    let dataOffset = headerStart + headerLength
    guard fileSize - dataOffset == byteCount else {
      throw fail(
        "holds \(fileSize - dataOffset) data bytes; shape \(shape) of \(dtype.rawValue) needs "
          + "\(byteCount)")
    }
    self.dtype = dtype
    self.shape = shape
    self.bigEndian = order == ">"
    self.dataOffset = dataOffset
    self.byteCount = byteCount
  }

  /// Swaps the bytes of each element of `elements`, read as stored, when the file is
  /// big-endian; tensors are little-endian.
  func toLittleEndian(_ elements: UnsafeMutableRawBufferPointer) {
    guard bigEndian else { return }
    let size = dtype.byteSize
    for start in stride(from: 0, to: elements.count, by: size) {
      var element = UnsafeMutableRawBufferPointer(rebasing: elements[start..<(start + size)])
      element.reverse()
    }
  }

  /// The text after `'key':` in a header dict, up to the next top-level comma.
  private static func field(_ key: String, in header: String) -> String? {
    guard let range = header.range(of: "'\(key)':") else { return nil }
    let rest = header[range.upperBound...].drop { $0 == " " }
    var depth = 0
    var value = ""
    for character in rest {
      if character == "(" { depth += 1 }
      if character == ")" { depth -= 1 }
      if character == "," && depth == 0 { break }
      if character == "}" && depth == 0 { break }
      value.append(character)
    }
    return value.trimmingCharacters(in: .whitespaces)
  }

  private static func unquote(_ text: String) -> String {
    text.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
  }
}
