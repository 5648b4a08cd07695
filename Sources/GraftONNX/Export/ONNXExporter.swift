import Foundation
import GraftIR

/// How an ONNX model is written.
public struct ONNXExportOptions: Sendable {
  /// When initializers go to a data file beside the model instead of into it.
  public enum ExternalData: String, Sendable, CaseIterable {
    /// Only when the model would exceed protobuf's 2 GB message limit.
    case automatic
    case always
    case never
  }

  /// The default-domain opsets the exporter writes.
  public static let supportedOpsets = 13...21
  public static let defaultOpset = 17

  public var opset: Int
  /// Written as `producer_version` (the producer name is `graft`).
  public var producerVersion: String
  public var externalData: ExternalData

  public init(
    opset: Int = defaultOpset, producerVersion: String = "", externalData: ExternalData = .automatic
  ) {
    self.opset = opset
    self.producerVersion = producerVersion
    self.externalData = externalData
  }
}

/// Errors writing an ONNX model; each names the file being written.
public enum ONNXExportError: Error, CustomStringConvertible {
  case unsupportedOpset(Int)
  /// Nodes that cannot be written (every one is listed).
  case notExportable(path: String, [GraphError])
  /// The file (or its external data) cannot be created or written.
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unsupportedOpset(let opset):
      let range = ONNXExportOptions.supportedOpsets
      return
        "opset \(opset) cannot be written; choose one of \(range.lowerBound)…\(range.upperBound)"
    case .notExportable(let path, let errors):
      let count = errors.count == 1 ? "a node" : "\(errors.count) nodes"
      return "cannot write '\(path)': \(count) cannot be written as ONNX:\n"
        + errors.map { "  " + $0.description.replacingOccurrences(of: "\n", with: "\n  ") }
        .joined(separator: "\n")
    case .unwritable(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    }
  }
}

/// Writes IR models as ONNX files.
///
/// The file is written beside its destination under a temporary name and renamed into place only
/// when complete, so a failed export never leaves a partial model (or data file) behind.
public enum ONNXExporter {
  /// Models whose initializers exceed this many bytes keep them in a data file beside the model:
  /// protobuf cannot encode a message over 2 GB, and the graph needs some room of its own.
  public static let inlineByteLimit = (1 << 31) - (64 << 20)
  /// Initializers smaller than this stay in the model even with external data (as onnx's own
  /// `convert_model_to_external_data` does), so shapes and small constants stay readable.
  static let externalTensorThreshold = 1024
  /// External tensors start at multiples of this, so runtimes can map them from the file.
  static let externalAlignment = 4096

  /// Writes `model`'s graph to `path` (an `.onnx` file).
  ///
  /// - Throws: `ONNXExportError` naming the file and every node at fault.
  public static func write(
    _ model: Model, to path: String, options: ONNXExportOptions = ONNXExportOptions()
  ) throws {
    guard ONNXExportOptions.supportedOpsets.contains(options.opset) else {
      throw ONNXExportError.unsupportedOpset(options.opset)
    }
    var record = try ONNXModelRecord(
      model: model, path: path, opset: options.opset, producerVersion: options.producerVersion)
    let dataFile = AtomicFile(destination: path + ".data")
    defer { dataFile.discard() }
    let externalTensors = selectExternalTensors(record, policy: options.externalData)
    if !externalTensors.isEmpty {
      let location = (dataFile.destination as NSString).lastPathComponent
      try dataFile.write { file in
        try writeExternalData(&record, tensors: externalTensors, location: location, file: file)
      }
    }
    let modelFile = AtomicFile(destination: path)
    defer { modelFile.discard() }
    try modelFile.write { file in
      let status = ProtoEncoding(record: record).write(to: file)
      if status != 0 { throw AtomicFile.failure(status) }
    }
    if !externalTensors.isEmpty { try dataFile.commit() }
    try modelFile.commit()
  }

  /// The initializers to write outside the model under `policy`.
  private static func selectExternalTensors(
    _ record: ONNXModelRecord, policy: ONNXExportOptions.ExternalData
  ) -> [(name: String, tensor: Tensor)] {
    let total = record.initializers.reduce(0) { $0 + $1.tensor.buffer.byteCount }
    switch policy {
    case .never: return []
    case .automatic where total <= inlineByteLimit: return []
    default:
      return record.initializers.filter { $0.tensor.buffer.byteCount >= externalTensorThreshold }
    }
  }

  /// Writes `tensors` one after another (each aligned) and records where each one is.
  private static func writeExternalData(
    _ record: inout ONNXModelRecord, tensors: [(name: String, tensor: Tensor)], location: String,
    file: UnsafeMutablePointer<FILE>
  ) throws {
    var offset = 0
    let padding = [UInt8](repeating: 0, count: externalAlignment)
    for (name, tensor) in tensors {
      let aligned = (offset + externalAlignment - 1) / externalAlignment * externalAlignment
      if aligned > offset { try AtomicFile.write(padding, count: aligned - offset, to: file) }
      let length = tensor.buffer.byteCount
      try AtomicFile.write(tensor.buffer.baseAddress, count: length, to: file)
      record.externalData[name] = ExternalDataEntry(
        location: location, offset: aligned, length: length)
      offset = aligned + length
    }
  }
}

/// A file written under a temporary name beside its destination and renamed into place once
/// complete; `discard()` removes the temporary file if it was not committed.
final class AtomicFile {
  let destination: String
  private let temporary: String
  private var written = false

  init(destination: String) {
    self.destination = destination
    let url = URL(fileURLWithPath: destination)
    temporary =
      url.deletingLastPathComponent().appendingPathComponent(
        ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
      ).path
  }

  /// Creates the temporary file and fills it through `body`.
  func write(_ body: (UnsafeMutablePointer<FILE>) throws -> Void) throws {
    guard let file = fopen(temporary, "wb") else {
      throw ONNXExportError.unwritable(path: destination, reason: String(cString: strerror(errno)))
    }
    written = true
    do {
      try body(file)
    } catch let error as POSIXFailure {
      fclose(file)
      throw ONNXExportError.unwritable(path: destination, reason: error.reason)
    }
    if fflush(file) != 0 || fclose(file) != 0 {
      throw ONNXExportError.unwritable(path: destination, reason: String(cString: strerror(errno)))
    }
  }

  /// Moves the complete file to its destination.
  func commit() throws {
    guard rename(temporary, destination) == 0 else {
      throw ONNXExportError.unwritable(path: destination, reason: String(cString: strerror(errno)))
    }
    written = false
  }

  func discard() {
    if written { unlink(temporary) }
    written = false
  }

  /// An `errno` from a write, as an error `write` reports with the destination's name.
  struct POSIXFailure: Error {
    let reason: String
  }

  static func failure(_ code: Int32) -> POSIXFailure {
    POSIXFailure(reason: String(cString: strerror(code)))
  }

  static func write(_ bytes: UnsafeRawPointer, count: Int, to file: UnsafeMutablePointer<FILE>)
    throws
  {
    guard count == 0 || fwrite(bytes, 1, count, file) == count else { throw failure(errno) }
  }
}
