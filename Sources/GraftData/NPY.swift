import Foundation
import GraftIR

/// Errors reading or writing `.npy` files, naming the file.
public enum NPYError: Error, CustomStringConvertible {
  case unreadable(path: String, reason: String)
  case invalid(path: String, reason: String)
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): "\(path): cannot read the file: \(reason)"
    case .invalid(let path, let reason): "\(path): not a usable .npy array: \(reason)"
    case .unwritable(let path, let reason): "\(path): cannot write the file: \(reason)"
    }
  }
}

/// NumPy's `.npy` array files (format versions 1.0, 2.0 and 3.0).
///
/// Layout: the magic `\x93NUMPY`, a major and minor version byte, the header length (2 bytes
/// little-endian in 1.0, 4 bytes in 2.0 and 3.0), then an ASCII dict such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces so the data
/// starts at a multiple of 64 bytes, then the elements in C order. Written here by hand because
/// the format is a few lines and no Debian or Swift package on this machine reads it.
public enum NPY {
  private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// NumPy's type code for each dtype, without the byte-order character.
  static func typeCode(_ dtype: DType) -> String {
    switch dtype {
    case .float32: "f4"
    case .float16: "f2"
    case .float64: "f8"
    case .int8: "i1"
    case .uint8: "u1"
    case .int32: "i4"
    case .int64: "i8"
    case .bool: "b1"
    }
  }

  /// Reads the array at `path`.
  public static func read(contentsOf path: String) throws -> Tensor {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw NPYError.unreadable(path: path, reason: error.localizedDescription)
    }
    return try read(data: data, path: path)
  }

  /// Reads an array from bytes; `path` names it in errors.
  public static func read(data: Data, path: String) throws -> Tensor {
    func fail(_ reason: String) -> NPYError { .invalid(path: path, reason: reason) }
    let bytes = [UInt8](data)
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw fail("the file does not start with the .npy magic")
    }
    let major = bytes[6]
    let headerStart = major == 1 ? 10 : 12
    guard (1...3).contains(major), bytes.count >= headerStart else {
      throw fail("unknown format version \(major)")
    }
    let headerLength =
      major == 1
      ? Int(bytes[8]) | Int(bytes[9]) << 8
      : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    guard headerLength <= bytes.count - headerStart else { throw fail("the header is truncated") }
    let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
    guard let descr = field("descr", in: header).map(unquote), descr.count >= 3 else {
      throw fail("the header has no 'descr'")
    }
    let order = descr.first!
    let code = String(descr.dropFirst())
    guard let dtype = DType.allCases.first(where: { typeCode($0) == code }) else {
      throw fail(
        "element type '\(descr)' is not supported (float16/32/64, int8/32/64, uint8, bool)")
    }
    guard order == "<" || order == "|" || (order == ">" && dtype.byteSize > 1) || order == "="
    else {
      throw fail("unknown byte order in '\(descr)'")
    }
    guard field("fortran_order", in: header)?.hasPrefix("False") == true else {
      throw fail("Fortran-order arrays are not supported; save with np.ascontiguousarray")
    }
    guard let shapeText = field("shape", in: header), shapeText.hasPrefix("(") else {
      throw fail("the header has no 'shape'")
    }
    let inner = shapeText.dropFirst().prefix { $0 != ")" }
    var shape: [Int] = []
    for part in inner.split(separator: ",") {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard let size = Int(trimmed), size >= 0 else { throw fail("invalid shape \(shapeText)") }
      shape.append(size)
    }
    guard let count = ShapeRules.checkedProduct(shape),
      count.multipliedReportingOverflow(by: dtype.byteSize).overflow == false
    else { throw fail("shape \(shape) is too large") }
    let byteCount = count * dtype.byteSize
    let start = headerStart + headerLength
    guard bytes.count - start == byteCount else {
      throw fail(
        "holds \(bytes.count - start) data bytes; shape \(shape) of \(dtype.rawValue) needs \(byteCount)"
      )
    }
    let buffer = TensorBuffer(byteCount: byteCount) { out in
      bytes.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start...])) }
      if order == ">" {
        let size = dtype.byteSize
        for element in 0..<count {
          var slice = UnsafeMutableRawBufferPointer(
            rebasing: out[(element * size)..<((element + 1) * size)])
          slice.reverse()
        }
      }
    }
    return Tensor(dtype: dtype, shape: shape, buffer: buffer)
  }

  /// Writes `tensor` to `path` (format 1.0, little-endian), through a temporary file renamed into
  /// place so that no partial file is left behind.
  public static func write(_ tensor: Tensor, to path: String) throws {
    let shapeText =
      tensor.shape.count == 1
      ? "(\(tensor.shape[0]),)" : "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
    let byteOrder = tensor.dtype.byteSize == 1 ? "|" : "<"
    var header =
      "{'descr': '\(byteOrder)\(typeCode(tensor.dtype))', 'fortran_order': False, 'shape': \(shapeText), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data(magic + [1, 0])
    let length = header.utf8.count
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    tensor.buffer.withUnsafeBytes { data.append(contentsOf: $0) }
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
      try data.write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw NPYError.unwritable(path: path, reason: String(cString: strerror(errno)))
      }
    } catch let error as NPYError {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw NPYError.unwritable(path: path, reason: error.localizedDescription)
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
