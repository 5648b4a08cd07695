import Foundation
import GraftHDF5
import GraftIR

/// What a feature cache was made with. A run that resumes or merges caches refuses one made
/// otherwise, so features of different models, layers or preprocessing are never mixed.
public struct FeatureCacheProvenance: Codable, Equatable, Sendable {
  /// SHA-256 of the model file, hex.
  public var modelSHA256: String
  /// The cut layers, in `/features/<layer>` order.
  public var layers: [String]
  /// The preprocessing, as JSON (see `Preprocessing`); empty for array inputs.
  public var preprocessing: String
  public var graftVersion: String

  public init(modelSHA256: String, layers: [String], preprocessing: String, graftVersion: String) {
    self.modelSHA256 = modelSHA256
    self.layers = layers
    self.preprocessing = preprocessing
    self.graftVersion = graftVersion
  }
}

/// Errors of the feature cache, each naming the file.
public enum FeatureCacheError: Error, CustomStringConvertible {
  /// `--resume` found a cache made with another model, layer set or preprocessing.
  case provenanceMismatch(path: String, field: String)
  /// A batch does not fit the cache (missing layer, wrong feature shape, row counts that differ).
  case badBatch(path: String, reason: String)
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .provenanceMismatch(let path, let field):
      "'\(path)' was made with another \(field); resume only with the same model, layers and "
        + "preprocessing, or write a new cache"
    case .badBatch(let path, let reason): "'\(path)': \(reason)"
    case .unwritable(let path, let reason): "cannot write '\(path)': \(reason)"
    }
  }
}

/// Writes a feature cache batch by batch, so that a run killed at any moment can be resumed with
/// no row lost or written twice.
///
/// Layout (readable with h5py alone): `/features/<layer>` float32 `[N, D…]` chunked by rows,
/// `/ids` strings, `/labels` int64 and `/label_names` strings when the data has labels, and on
/// the root the provenance attributes (`model_sha256`, `layers`, `preprocessing`,
/// `graft_version`) and `rows_complete`.
///
/// While running, the cache is `PATH.partial`; after each batch is flushed, the number of complete
/// rows goes to the sidecar `PATH.partial.progress` (JSON, written to a temporary file and renamed,
/// so it is always whole). A run killed with `kill -9` can leave an HDF5 attribute unreadable
/// even when the data is intact (measured with libhdf5 1.10.8), which is why the count of record
/// is the sidecar, not an attribute. Resuming truncates every dataset to that count.
/// `finish()` writes the attributes and renames the cache to `PATH`.
public final class FeatureCacheWriter {
  public let path: String
  public let provenance: FeatureCacheProvenance
  /// Rows written and flushed; a resumed run continues from here.
  public private(set) var rowsComplete: Int
  private let file: HDF5File
  private let hasLabels: Bool

  /// The cache while it is written, and its sidecar.
  private var partialPath: String { Self.partialPath(path) }
  private var progressPath: String { Self.progressPath(path) }
  private static func partialPath(_ path: String) -> String { path + ".partial" }
  private static func progressPath(_ path: String) -> String { path + ".partial.progress" }

  /// What the sidecar holds.
  private struct Progress: Codable {
    var rowsComplete: Int
    var provenance: FeatureCacheProvenance
  }

  /// Starts a cache at `path`, or with `resume` continues the partial one there.
  ///
  /// - Parameters:
  ///   - featureShapes: each layer's feature shape after the batch dim.
  ///   - labelNames: the sorted class names, or nil for unlabelled data.
  /// - Throws: `FeatureCacheError.provenanceMismatch` when resuming a cache made otherwise.
  public init(
    path: String, provenance: FeatureCacheProvenance, featureShapes: [String: [Int]],
    labelNames: [String]?, resume: Bool
  ) throws {
    self.path = path
    self.provenance = provenance
    hasLabels = labelNames != nil
    let partial = Self.partialPath(path)
    let progressFile = Self.progressPath(path)
    if resume, let data = FileManager.default.contents(atPath: progressFile),
      let progress = try? JSONDecoder().decode(Progress.self, from: data)
    {
      for (field, same) in [
        ("model", progress.provenance.modelSHA256 == provenance.modelSHA256),
        ("layer set", progress.provenance.layers == provenance.layers),
        ("preprocessing", progress.provenance.preprocessing == provenance.preprocessing),
      ] where !same {
        throw FeatureCacheError.provenanceMismatch(path: path, field: field)
      }
      file = try HDF5File(opening: partial, mode: .readWrite)
      rowsComplete = progress.rowsComplete
      for name in Self.rowDatasets(layers: provenance.layers, labels: hasLabels) {
        try file.root.dataset(name).resize(rows: rowsComplete)
      }
      return
    }
    // Nothing resumable: a partial file without its sidecar committed no row.
    try? FileManager.default.removeItem(atPath: progressFile)
    file = try HDF5File(creating: partial, overwrite: true)
    rowsComplete = 0
    for layer in provenance.layers {
      guard let shape = featureShapes[layer] else {
        throw FeatureCacheError.badBatch(path: path, reason: "no feature shape for '\(layer)'")
      }
      let rowElements = max(1, shape.reduce(1, *) * 4)
      _ = try file.root.createDataset(
        "features/\(layer)", elementType: HDF5ElementType(.float32), shape: [0] + shape,
        layout: .extendableRows(perChunk: max(1, (1 << 20) / rowElements)))
    }
    _ = try file.root.createDataset(
      "ids", elementType: .variableString, shape: [0], layout: .extendableRows(perChunk: 1024))
    if let labelNames {
      _ = try file.root.createDataset(
        "labels", elementType: HDF5ElementType(.int64), shape: [0],
        layout: .extendableRows(perChunk: 4096))
      _ = try file.root.createDataset("label_names", strings: labelNames)
    }
    try file.flush()
    try writeProgress()
  }

  /// Appends one batch: features per layer (`[rows, D…]`), the rows' ids and labels.
  public func append(features: [String: Tensor], ids: [String], labels: [Int64]?) throws {
    let rows = ids.count
    guard (labels != nil) == hasLabels, labels.map({ $0.count == rows }) ?? true else {
      throw FeatureCacheError.badBatch(
        path: path,
        reason: hasLabels ? "the batch needs one label per row" : "the cache has no labels")
    }
    for layer in provenance.layers {
      guard let tensor = features[layer], tensor.shape.first == rows else {
        throw FeatureCacheError.badBatch(
          path: path, reason: "the batch needs \(rows) rows of features for '\(layer)'")
      }
      try file.root.dataset("features/\(layer)").appendRows(tensor)
    }
    try file.root.dataset("ids").appendRows(strings: ids)
    if let labels { try file.root.dataset("labels").appendRows(labels) }
    try file.flush()
    rowsComplete += rows
    try writeProgress()
  }

  /// Writes the provenance attributes and `rows_complete`, and moves the cache to `path`.
  public func finish() throws {
    try file.root.setAttribute("model_sha256", provenance.modelSHA256)
    try file.root.setAttribute("layers", strings: provenance.layers)
    try file.root.setAttribute("preprocessing", provenance.preprocessing)
    try file.root.setAttribute("graft_version", provenance.graftVersion)
    try file.root.setAttribute("rows_complete", Int64(rowsComplete))
    try file.close()
    guard rename(partialPath, path) == 0 else {
      throw FeatureCacheError.unwritable(path: path, reason: String(cString: strerror(errno)))
    }
    try? FileManager.default.removeItem(atPath: progressPath)
  }

  /// The datasets that grow by rows.
  private static func rowDatasets(layers: [String], labels: Bool) -> [String] {
    layers.map { "features/\($0)" } + ["ids"] + (labels ? ["labels"] : [])
  }

  /// Replaces the sidecar with the current count, atomically.
  private func writeProgress() throws {
    let data = try JSONEncoder().encode(
      Progress(rowsComplete: rowsComplete, provenance: provenance))
    do {
      try data.write(to: URL(fileURLWithPath: progressPath), options: .atomic)
    } catch {
      throw FeatureCacheError.unwritable(path: progressPath, reason: error.localizedDescription)
    }
  }
}
