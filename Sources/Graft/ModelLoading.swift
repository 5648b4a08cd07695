import Foundation
import GraftKeras
import GraftONNX

/// Errors of the library's entry points that are not a format's own.
public enum GraftError: Error, CustomStringConvertible {
  case unknownFormat(path: String)
  case configNotApplicable(path: String)

  public var description: String {
    switch self {
    case .unknownFormat(let path):
      "\(path): unrecognised model format (Graft reads .onnx, Keras .h5 / .hdf5 / .weights.h5 "
        + "and .keras files)"
    case .configNotApplicable(let path):
      "\(path): --config gives the architecture of a Keras weights file; an ONNX model has its own"
    }
  }
}

/// Loads a model file, choosing the reader by extension and, failing that, by content (the
/// HDF5 or zip signature of a Keras file).
///
/// The model may contain unsupported ops as placeholders (so that it can be inspected); call
/// `requireSupported(path:)` before running or converting it.
///
/// - Parameters:
///   - path: an `.onnx` model or a Keras `.h5` / `.hdf5` / `.weights.h5` / `.keras` file.
///   - config: the architecture of a Keras weights-only file (`model.to_json()`'s JSON, a Keras 3
///     `config.json`, or a full-model `.h5`); see `KerasImporter`.
/// - Throws: the format's error type (`ONNXError`, `KerasError`, `HDF5Error`), naming the file
///   and the node or layer at fault.
public func loadModel(_ path: String, config: String? = nil) throws -> Model {
  switch (path as NSString).pathExtension.lowercased() {
  case "onnx":
    if config != nil { throw GraftError.configNotApplicable(path: path) }
    return try ONNXImporter.load(contentsOf: path)
  case "h5", "hdf5", "keras":
    return try KerasImporter.load(contentsOf: path, config: config)
  default:
    guard KerasImporter.recognizes(path) else { throw GraftError.unknownFormat(path: path) }
    return try KerasImporter.load(contentsOf: path, config: config)
  }
}
