import Foundation
import GraftHeads
import GraftONNX

/// What a head file says about the features it was trained on, kept in the ONNX model's
/// `metadata_props` (key `graft.head`, JSON) so that `attach`, `evaluate` and `predict` can
/// check the features they are given and name the classes.
public struct HeadDescription: Codable, Equatable, Sendable {
  /// `logistic`, `svm`, `ridge` or `mlp`.
  public var kind: String
  /// Class names, in the order of the head's outputs.
  public var labelNames: [String]
  /// The cache's label column the head was trained on (nil in heads from before label
  /// columns, which were trained on the only one).
  public var labelColumn: String?
  /// The cut layer the features came from, and how they were pooled.
  public var layer: String
  public var pool: String
  /// Features per row the head takes.
  public var featureCount: Int
  /// The provenance of the training features: the trunk's SHA-256 and preprocessing (JSON;
  /// empty for array data).
  public var trunkSHA256: String
  public var preprocessing: String

  /// The `metadata_props` key holding the description.
  public static let metadataKey = "graft.head"
  /// The `metadata_props` key holding the class names alone (a JSON array), for other tools.
  public static let labelNamesKey = "graft.label_names"

  public init(
    kind: String, labelNames: [String], labelColumn: String? = nil, layer: String, pool: String,
    featureCount: Int, trunkSHA256: String, preprocessing: String
  ) {
    self.kind = kind
    self.labelNames = labelNames
    self.labelColumn = labelColumn
    self.layer = layer
    self.pool = pool
    self.featureCount = featureCount
    self.trunkSHA256 = trunkSHA256
    self.preprocessing = preprocessing
  }

  /// The description in `model`'s metadata.
  ///
  /// - Throws: `HeadError.notAHead` naming `path` when there is none.
  public init(of model: Model, path: String) throws {
    guard let text = model.metadata[Self.metadataKey],
      let description = try? JSONDecoder().decode(Self.self, from: Data(text.utf8))
    else { throw HeadError.notAHead(path: path) }
    self = description
  }

  /// The metadata entries that record this description (and `extra` entries such as the
  /// training report).
  func metadata(extra: [String: String] = [:]) throws -> [String: String] {
    var metadata = extra
    metadata[Self.metadataKey] = try canonicalJSON(self)
    metadata[Self.labelNamesKey] = try canonicalJSON(labelNames)
    return metadata
  }
}

/// Errors of head files and of joining heads to trunks.
public enum HeadError: Error, CustomStringConvertible {
  case notAHead(path: String)
  case widthMismatch(head: String, expected: Int, layer: String, actual: String)
  case otherTrunk(head: String, trunk: String)

  public var description: String {
    switch self {
    case .notAHead(let path):
      "'\(path)' is not a Graft head (no '\(HeadDescription.metadataKey)' metadata); train one "
        + "with graft train-head"
    case .widthMismatch(let head, let expected, let layer, let actual):
      "'\(head)' takes \(expected) features per row, but layer '\(layer)' gives \(actual); it "
        + "was trained on another layer or pooling"
    case .otherTrunk(let head, let trunk):
      "'\(head)' was trained on features of another model than '\(trunk)' (SHA-256 differs)"
    }
  }
}

/// Writes `head` as an ONNX model (default-domain ops only, opset 17) with its description
/// and `extra` metadata (e.g. the training report).
public func saveHead(
  _ head: FittedHead, description: HeadDescription, extra: [String: String] = [:], to path: String
) throws {
  let model = Model(
    graph: head.graph(), format: .onnx, producerName: "graft", producerVersion: graftVersion,
    metadata: try description.metadata(extra: extra))
  try ONNXExporter.write(model, to: path, options: ONNXExportOptions(producerVersion: graftVersion))
}
