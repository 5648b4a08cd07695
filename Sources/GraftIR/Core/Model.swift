/// The file format a model was read from.
public enum ModelFormat: String, Sendable, Codable {
  case onnx
  case kerasH5 = "keras-h5"
}

/// A graph with what its file said about where it came from.
public struct Model: Sendable {
  public var graph: Graph
  public var format: ModelFormat
  /// The program that wrote the file (ONNX `producer_name`, or `keras` for Keras files).
  public var producerName: String
  public var producerVersion: String
  /// ONNX `ir_version`; nil for other formats.
  public var irVersion: Int?
  /// Opset version per domain (`""` is the default ONNX domain).
  public var opsets: [String: Int]
  /// Free-form key/value metadata (ONNX `metadata_props`, Keras `training_config`, …).
  public var metadata: [String: String]
  public var docString: String

  public init(
    graph: Graph, format: ModelFormat, producerName: String = "", producerVersion: String = "",
    irVersion: Int? = nil, opsets: [String: Int] = [:], metadata: [String: String] = [:],
    docString: String = ""
  ) {
    self.graph = graph
    self.format = format
    self.producerName = producerName
    self.producerVersion = producerVersion
    self.irVersion = irVersion
    self.opsets = opsets
    self.metadata = metadata
    self.docString = docString
  }
}
