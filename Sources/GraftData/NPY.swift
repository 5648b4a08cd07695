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
/// the format is a few lines and no Debian or Swift package on this machine reads it. The header
/// is parsed by `NPYHeader`, shared with `NPYFile`, which reads ranges of rows instead of the
/// whole array.
public enum NPY {
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

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
    let header = try NPYHeader(path: path, fileSize: data.count) { range in
      [UInt8](data[(data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound)])
    }
    let start = data.startIndex + header.dataOffset
    let buffer = TensorBuffer(byteCount: header.byteCount) { out in
      data.copyBytes(to: out, from: start..<(start + header.byteCount))
      header.toLittleEndian(out)
    }
    return Tensor(dtype: header.dtype, shape: header.shape, buffer: buffer)
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
}
