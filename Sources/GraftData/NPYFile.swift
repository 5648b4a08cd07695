import Foundation
import GraftIR

/// A `.npy` file kept open to read ranges of rows without loading the whole array.
///
/// The header is parsed once when the file is opened, and the file's size checked against it
/// (`NPYHeader`). Rows are slices along the first axis: in C order row `r` is the contiguous
/// bytes `dataOffset + r·rowByteCount ..< dataOffset + (r+1)·rowByteCount`, so a range of rows
/// is one `pread`. `pread` keeps no file position, which lets one `NPYFile` serve concurrent
/// readers; the descriptor is closed when the object goes away.
final class NPYFile: Sendable {
  /// The path the file was opened with, for messages.
  let path: String
  let header: NPYHeader
  /// Bytes of one row: the product of the dims after the first times the element size.
  let rowByteCount: Int
  private let descriptor: Int32

  /// Opens the file at `path` and parses its header.
  ///
  /// - Throws: `NPYError.unreadable` when the file cannot be opened or is not a regular file,
  ///   `NPYError.invalid` for a bad or truncated array (see `NPYHeader`).
  init(opening path: String) throws {
    func unreadable(_ reason: String) -> NPYError { .unreadable(path: path, reason: reason) }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw unreadable(String(cString: strerror(errno))) }
    do {
      var status = stat()
      guard fstat(descriptor, &status) == 0 else {
        throw unreadable(String(cString: strerror(errno)))
      }
      guard status.st_mode & S_IFMT == S_IFREG else { throw unreadable("not a regular file") }
      header = try NPYHeader(path: path, fileSize: Int(status.st_size)) { range in
        try [UInt8](unsafeUninitializedCapacity: range.count) { bytes, initialized in
          try Self.read(
            descriptor, into: UnsafeMutableRawBufferPointer(bytes), at: range.lowerBound, path)
          initialized = range.count
        }
      }
    } catch {
      close(descriptor)
      throw error
    }
    // The whole array's byte count did not overflow, so neither does a row's unless the array
    // has no rows; then no row is ever read and the size does not matter.
    rowByteCount =
      (ShapeRules.checkedProduct(Array(header.shape.dropFirst())) ?? 0) * header.dtype.byteSize
    self.path = path
    self.descriptor = descriptor
  }

  deinit { close(descriptor) }

  /// Rows `rows` as a tensor of shape `[rows.count] + shape.dropFirst()`, little-endian.
  ///
  /// - Precondition: the array has at least one dimension and `rows` lies within its first.
  /// - Throws: `NPYError.unreadable` when reading fails or the file shrank since it was opened.
  func rows(_ rows: Range<Int>) throws -> Tensor {
    precondition(!header.shape.isEmpty, "a scalar .npy array has no rows")
    precondition(rows.lowerBound >= 0 && rows.upperBound <= header.shape[0], "rows out of range")
    let buffer = try TensorBuffer(byteCount: rows.count * rowByteCount) { bytes in
      try Self.read(
        descriptor, into: bytes, at: header.dataOffset + rows.lowerBound * rowByteCount, path)
      header.toLittleEndian(bytes)
    }
    return Tensor(
      dtype: header.dtype, shape: [rows.count] + header.shape.dropFirst(), buffer: buffer)
  }

  /// Fills `bytes` from file offset `offset`, looping over short and interrupted reads.
  private static func read(
    _ descriptor: Int32, into bytes: UnsafeMutableRawBufferPointer, at offset: Int, _ path: String
  ) throws {
    var done = 0
    while done < bytes.count {
      let got = pread(
        descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else {
        let reason =
          got == 0
          ? "the file ends before its last row (was it truncated while open?)"
          : String(cString: strerror(errno))
        throw NPYError.unreadable(path: path, reason: reason)
      }
      done += got
    }
  }
}
