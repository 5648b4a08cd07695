import Foundation
import GraftIR

/// Reads tensor bytes that a model keeps in a file beside it (ONNX external data, used for models
/// over protobuf's 2 GB limit).
///
/// The `location` entry must name a file inside the model's folder: absolute paths and `..` are
/// refused, so a hostile model cannot read arbitrary files.
struct ExternalData {
  let modelPath: String

  func read(entries: [(String, String)], byteCount: Int, tensor: String) throws -> TensorBuffer {
    func fail(_ reason: String) -> ONNXError {
      .invalidTensor(path: modelPath, tensor: tensor, reason: "external data: \(reason)")
    }
    let values = Dictionary(entries, uniquingKeysWith: { _, last in last })
    guard let location = values["location"], !location.isEmpty else {
      throw fail("no 'location' entry")
    }
    let components = location.split(separator: "/", omittingEmptySubsequences: false)
    guard !location.hasPrefix("/"), !components.contains("..") else {
      throw fail("location '\(location)' points outside the model's folder")
    }
    guard let offset = Int(values["offset"] ?? "0"), offset >= 0 else {
      throw fail("invalid offset '\(values["offset"] ?? "")'")
    }
    if let length = values["length"] {
      guard Int(length) == byteCount else {
        throw fail("length \(length) does not match the \(byteCount) bytes the shape needs")
      }
    }
    let directory = (modelPath as NSString).deletingLastPathComponent
    let file = (directory as NSString).appendingPathComponent(location)
    guard let handle = FileHandle(forReadingAtPath: file) else {
      throw fail("cannot open '\(file)'")
    }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()).map(Int.init) ?? 0
    guard offset <= size, byteCount <= size - offset else {
      throw fail("'\(file)' has \(size) bytes; needs \(byteCount) at offset \(offset)")
    }
    do {
      try handle.seek(toOffset: UInt64(offset))
      let data = try handle.read(upToCount: byteCount) ?? Data()
      guard data.count == byteCount else { throw fail("short read from '\(file)'") }
      return TensorBuffer(byteCount: byteCount) { out in
        data.withUnsafeBytes { out.copyMemory(from: $0) }
      }
    } catch let error as ONNXError {
      throw error
    } catch {
      throw fail("reading '\(file)': \(error.localizedDescription)")
    }
  }
}
