import Foundation
import GraftONNX

/// Errors of the library's entry points that are not a format's own.
public enum GraftError: Error, CustomStringConvertible {
  case unknownFormat(path: String)

  public var description: String {
    switch self {
    case .unknownFormat(let path):
      "\(path): unrecognised model format (Graft reads .onnx files)"
    }
  }
}

/// Loads a model file, choosing the reader by extension and, failing that, by content.
///
/// The model may contain unsupported ops as placeholders (so that it can be inspected); call
/// `requireSupported(path:)` before running or converting it.
///
/// - Throws: the format's error type (`ONNXError`), naming the file and the node at fault.
public func loadModel(_ path: String) throws -> Model {
  switch (path as NSString).pathExtension.lowercased() {
  case "onnx":
    return try ONNXImporter.load(contentsOf: path)
  default:
    throw GraftError.unknownFormat(path: path)
  }
}
