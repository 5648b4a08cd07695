import Foundation

/// Checks the file's global heap collections before libhdf5 reads them.
///
/// Variable-length data (h5py's string attributes, such as Keras's `model_config`) lives in
/// global heap collections. libhdf5 1.10 trusts the object sizes stored in a collection: a
/// corrupted size makes `H5HG_read` copy out of bounds (a crash), and a zero-sized free-space
/// entry makes the collection parser loop forever. This check walks every collection the way
/// libhdf5 does and refuses the file when an object does not fit, so corruption there gives an
/// error instead. libhdf5 has no API to validate a collection, hence the hand-written walk.
///
/// Layout (HDF5 file format, "Global Heap Collection"; L is the superblock's size of lengths):
/// `"GCOL"`, version 1, 3 reserved zero bytes, the collection's total size (L bytes, little
/// endian), padded to 8 bytes; then objects, each a header of index (2 bytes), reference count
/// (2), reserved (4) and data size (L), padded to 8 bytes, followed by the data padded to 8.
/// Index 0 is the free space, whose size counts its header; a remainder smaller than an object
/// header is free space too.
enum GlobalHeapCheck {
  /// Why the file at `path` must not be given to libhdf5, or nil when its collections are sound
  /// (or it has none, or it is not an HDF5 file, which libhdf5 then reports itself).
  static func problem(inFileAt path: String) -> String? {
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    else { return nil }
    return data.withUnsafeBytes { problem(in: $0) }
  }

  static func problem(in file: UnsafeRawBufferPointer) -> String? {
    guard let lengthSize = sizeOfLengths(in: file) else { return nil }
    let headerSize = padded(8 + lengthSize)
    let objectHeaderSize = padded(8 + lengthSize)
    let signature = Array("GCOL\u{1}\0\0\0".utf8)
    var searchFrom = 0
    while let start = find(signature, in: file, from: searchFrom) {
      searchFrom = start + signature.count
      // A collection running past the end of the file is libhdf5's to report (as truncation).
      guard start + headerSize <= file.count else { continue }
      let size = integer(in: file, at: start + 8, bytes: lengthSize)
      guard size <= file.count - start else { continue }
      guard size >= headerSize else {
        return "global heap at byte \(start) claims \(size) bytes (corrupted?)"
      }
      let end = start + size
      var position = start + headerSize
      while position + objectHeaderSize <= end {
        let index = integer(in: file, at: position, bytes: 2)
        let dataSize = integer(in: file, at: position + 8, bytes: lengthSize)
        let extent =
          index == 0 ? dataSize : objectHeaderSize.addingReportingOverflow(padded(dataSize)).0
        guard extent >= objectHeaderSize, extent <= end - position else {
          return "global heap object at byte \(position) claims \(dataSize) bytes, past the end"
            + " of its heap at byte \(end) (corrupted?)"
        }
        position += extent
      }
    }
    return nil
  }

  /// The superblock's size of lengths (bytes 14 or 10 after the signature's start, by superblock
  /// version), looking for the signature at 0, 512, 1024, … as libhdf5 does.
  private static func sizeOfLengths(in file: UnsafeRawBufferPointer) -> Int? {
    let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
    var base = 0
    while base + 16 <= file.count {
      if (0..<8).allSatisfy({ file[base + $0] == signature[$0] }) {
        let size = Int(file[base + (file[base + 8] < 2 ? 14 : 10)])
        return [2, 4, 8].contains(size) ? size : nil
      }
      base = base == 0 ? 512 : base * 2
    }
    return nil
  }

  private static func padded(_ count: Int) -> Int {
    count > Int.max - 7 ? Int.max : (count + 7) / 8 * 8
  }

  /// The unsigned little-endian integer of `bytes` bytes at `offset`, saturated at `Int.max`.
  private static func integer(in file: UnsafeRawBufferPointer, at offset: Int, bytes: Int) -> Int {
    var value: UInt64 = 0
    for index in (0..<bytes).reversed() { value = value << 8 | UInt64(file[offset + index]) }
    return value > UInt64(Int.max) ? Int.max : Int(value)
  }

  /// The first offset at or after `from` where `pattern` occurs (memchr finds candidates for its
  /// first byte; glibc's memmem is not visible to Swift).
  private static func find(_ pattern: [UInt8], in file: UnsafeRawBufferPointer, from: Int) -> Int? {
    guard let base = file.baseAddress else { return nil }
    var offset = from
    while offset + pattern.count <= file.count {
      guard let hit = memchr(base + offset, Int32(pattern[0]), file.count - offset) else {
        return nil
      }
      let candidate = UnsafeRawPointer(hit) - base
      guard candidate + pattern.count <= file.count else { return nil }
      if memcmp(base + candidate, pattern, pattern.count) == 0 { return candidate }
      offset = candidate + 1
    }
    return nil
  }
}
