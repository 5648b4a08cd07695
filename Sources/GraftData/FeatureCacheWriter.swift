import Foundation
import GraftHDF5
import GraftIR

/// What a new cache holds, beyond its provenance.
public struct FeatureCacheLayout: Sendable {
  /// Each layer's feature shape after the row dim.
  public var featureShapes: [String: [Int]]
  /// The label columns (none for unlabelled data), in name order (the order a cache reads them
  /// back in).
  public var labelColumns: [LabelColumn]
  /// Identifies the inputs of the run (e.g. a digest of their ids in order): a partial cache is
  /// resumed only by a run over the same inputs.
  public var dataFingerprint: String
  /// `K/N` for a shard's cache.
  public var shard: String?

  public init(
    featureShapes: [String: [Int]], labelColumns: [LabelColumn], dataFingerprint: String,
    shard: String? = nil
  ) {
    self.featureShapes = featureShapes
    precondition(
      zip(labelColumns, labelColumns.dropFirst()).allSatisfy { $0.name < $1.name },
      "label columns are unique and in name order, as a cache reads them back")
    self.labelColumns = labelColumns
    self.dataFingerprint = dataFingerprint
    self.shard = shard
  }
}

/// Writes a feature cache (layout: see `FeatureCache`) batch by batch, so that a run killed at
/// any moment can be resumed with no row lost or written twice.
///
/// While running, the cache is `PATH.partial`; after each batch is flushed, the counts of rows
/// and skipped inputs go to the sidecar `PATH.partial.progress` (JSON, written to a temporary
/// file and renamed, so it is always whole). A run killed with `kill -9` can leave an HDF5
/// attribute unreadable even when the data is intact (measured with libhdf5 1.10.8), which is
/// why the count of record is the sidecar, not an attribute. Resuming truncates every dataset to
/// that count. `finish()` writes the attributes and renames the cache to `PATH`.
///
/// Inputs are consumed in order, each either a row or a skipped input, so a resumed run
/// continues at input `rowsComplete + skippedComplete`.
public final class FeatureCacheWriter {
  public let path: String
  public let provenance: FeatureCacheProvenance
  /// Rows written and flushed.
  public private(set) var rowsComplete: Int
  /// Skipped inputs recorded and flushed.
  public private(set) var skippedComplete: Int
  /// Inputs done (rows and skipped): a resumed run continues from here.
  public var inputsComplete: Int { rowsComplete + skippedComplete }
  private let layout: FeatureCacheLayout
  private let file: HDF5File

  static func partialPath(_ path: String) -> String { path + ".partial" }
  static func progressPath(_ path: String) -> String { path + ".partial.progress" }
  static func temporaryProgressPath(_ path: String) -> String { progressPath(path) + ".tmp" }

  /// What the sidecar holds.
  private struct Progress: Codable {
    var rowsComplete: Int
    var skippedComplete: Int
    var provenance: FeatureCacheProvenance
    var dataFingerprint: String
    /// Nil in sidecars written before label columns (which had at most the one column).
    var labelColumns: [LabelColumn]?
  }

  /// Whether a partial cache that `resume` could continue exists for `path`.
  public static func hasPartial(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: progressPath(path))
  }

  /// The rows the partial cache for `path` holds, as its sidecar records them.
  public static func recordedRows(_ path: String) throws -> Int {
    let data = try Data(contentsOf: URL(fileURLWithPath: progressPath(path)))
    return try JSONDecoder().decode(Progress.self, from: data).rowsComplete
  }

  /// Starts a cache at `path`, or with `resume` continues the partial one there.
  ///
  /// - Throws: `FeatureCacheError.provenanceMismatch` or `.dataMismatch` when resuming a cache
  ///   made otherwise.
  public init(
    path: String, provenance: FeatureCacheProvenance, layout: FeatureCacheLayout, resume: Bool
  ) throws {
    guard [.float32, .float16].contains(provenance.dtype) else {
      throw FeatureCacheError.badBatch(
        path: path, reason: "features are float32 or float16, not \(provenance.dtype)")
    }
    self.path = path
    self.provenance = provenance
    self.layout = layout
    let partial = Self.partialPath(path)
    let progressFile = Self.progressPath(path)
    if resume, let data = FileManager.default.contents(atPath: progressFile),
      let progress = try? JSONDecoder().decode(Progress.self, from: data)
    {
      if let field = progress.provenance.mismatch(with: provenance) {
        throw FeatureCacheError.provenanceMismatch(path: partial, field: field)
      }
      guard progress.dataFingerprint == layout.dataFingerprint,
        (progress.labelColumns ?? layout.labelColumns) == layout.labelColumns
      else {
        throw FeatureCacheError.dataMismatch(path: partial)
      }
      file = try HDF5File(opening: partial, mode: .readWrite)
      (rowsComplete, skippedComplete) = (progress.rowsComplete, progress.skippedComplete)
      for name in provenance.layers.map({ "features/\($0)" }) + ["ids"]
        + LabelColumn.storage(of: layout.labelColumns).map(\.labels)
      {
        try file.root.dataset(name).resize(rows: rowsComplete)
      }
      for name in ["skipped/ids", "skipped/reasons"] {
        try file.root.dataset(name).resize(rows: skippedComplete)
      }
      return
    }
    // Nothing resumable: a partial file without its sidecar committed no row.
    Self.removeSidecar(path)
    file = try HDF5File(creating: partial, overwrite: true)
    (rowsComplete, skippedComplete) = (0, 0)
    try createDatasets()
    try file.flush()
    try writeProgress()
  }

  private func createDatasets() throws {
    let root = file.root
    for layer in provenance.layers {
      guard let shape = layout.featureShapes[layer] else {
        throw FeatureCacheError.badBatch(path: path, reason: "no feature shape for '\(layer)'")
      }
      // Chunks of about 1 MB of whole rows.
      let rowBytes = max(1, shape.reduce(1, *) * provenance.dtype.byteSize)
      _ = try root.createDataset(
        "features/\(layer)", elementType: HDF5ElementType(provenance.dtype), shape: [0] + shape,
        layout: .extendableRows(perChunk: max(1, (1 << 20) / rowBytes)))
    }
    for name in ["ids", "skipped/ids", "skipped/reasons"] {
      _ = try root.createDataset(
        name, elementType: .variableString, shape: [0], layout: .extendableRows(perChunk: 1024))
    }
    let storage = LabelColumn.storage(of: layout.labelColumns)
    for (column, datasets) in zip(layout.labelColumns, storage) {
      _ = try root.createDataset(
        datasets.labels, elementType: HDF5ElementType(.int64), shape: [0],
        layout: .extendableRows(perChunk: 4096))
      _ = try root.createDataset(datasets.names, strings: column.classes)
    }
  }

  /// Appends one batch: features per layer (`[rows, D…]`, float32; none when every input of
  /// the batch was skipped), the rows' ids, their labels in each label column (in
  /// `labelColumns` order: class indices or `LabelColumn.missing`), and the inputs that were
  /// skipped.
  public func append(
    features: [String: Tensor], ids: [String], labels: [[Int64]],
    skipped: [(id: String, reason: String)] = []
  ) throws {
    let rows = ids.count
    try checkLabels(labels, rows: rows)
    let root = file.root
    for layer in provenance.layers where rows > 0 {
      guard let tensor = features[layer], tensor.shape.first == rows else {
        throw FeatureCacheError.badBatch(
          path: path, reason: "the batch needs \(rows) rows of features for '\(layer)'")
      }
      try root.dataset("features/\(layer)").appendRows(stored(tensor))
    }
    try root.dataset("ids").appendRows(strings: ids)
    for (column, datasets) in zip(labels, LabelColumn.storage(of: layout.labelColumns)) {
      try root.dataset(datasets.labels).appendRows(column)
    }
    if !skipped.isEmpty {
      try root.dataset("skipped/ids").appendRows(strings: skipped.map(\.id))
      try root.dataset("skipped/reasons").appendRows(strings: skipped.map(\.reason))
    }
    try file.flush()
    rowsComplete += rows
    skippedComplete += skipped.count
    try writeProgress()
  }

  /// Refuses labels that are not one per row in each column, each a class index or missing.
  private func checkLabels(_ labels: [[Int64]], rows: Int) throws {
    let columns = layout.labelColumns
    guard labels.count == columns.count, labels.allSatisfy({ $0.count == rows }) else {
      throw FeatureCacheError.badBatch(
        path: path,
        reason: columns.isEmpty
          ? "the cache has no labels" : "the batch needs one label per row in each label column")
    }
    for (column, values) in zip(columns, labels) {
      if let bad = values.first(where: { $0 < LabelColumn.missing || $0 >= column.classes.count }) {
        throw FeatureCacheError.badBatch(
          path: path,
          reason: "label \(bad) is not an index into the \(column.classes.count) classes of "
            + "column '\(column.name)'")
      }
    }
  }

  /// `features` in the cache's element type.
  private func stored(_ features: Tensor) -> Tensor {
    guard provenance.dtype == .float16, features.dtype == .float32 else { return features }
    return Tensor(features.elements(as: Float.self).map(Float16.init), shape: features.shape)
  }

  /// Writes the provenance attributes and `rows_complete`, and moves the cache to `path`.
  public func finish() throws {
    let root = file.root
    try root.setAttribute("model_sha256", provenance.modelSHA256)
    try root.setAttribute("layers", strings: provenance.layers)
    try root.setAttribute("preprocessing", provenance.preprocessing)
    try root.setAttribute("pool", provenance.pool)
    try root.setAttribute("graft_version", provenance.graftVersion)
    try root.setAttribute("rows_complete", Int64(rowsComplete))
    if let shard = layout.shard { try root.setAttribute("shard", shard) }
    try file.close()
    guard rename(Self.partialPath(path), path) == 0 else {
      throw FeatureCacheError.unwritable(path: path, reason: String(cString: strerror(errno)))
    }
    Self.removeSidecar(path)
  }

  /// Removes the sidecar of the cache at `path` (and its temporary file).
  static func removeSidecar(_ path: String) {
    for file in [progressPath(path), temporaryProgressPath(path)] {
      try? FileManager.default.removeItem(atPath: file)
    }
  }

  /// Removes everything an unfinished run at `path` left: the partial cache and its sidecar.
  static func removePartial(_ path: String) {
    try? FileManager.default.removeItem(atPath: partialPath(path))
    removeSidecar(path)
  }

  /// Replaces the sidecar with the current counts, atomically.
  private func writeProgress() throws {
    let progressFile = Self.progressPath(path)
    let data = try JSONEncoder().encode(
      Progress(
        rowsComplete: rowsComplete, skippedComplete: skippedComplete, provenance: provenance,
        dataFingerprint: layout.dataFingerprint, labelColumns: layout.labelColumns))
    // Written whole under a fixed temporary name, then renamed over the sidecar: a run killed
    // mid-write leaves at most that file, which the next write replaces and `finish` removes
    // (Foundation's `.atomic` would leave a randomly named one behind).
    let temporary = Self.temporaryProgressPath(path)
    do {
      try data.write(to: URL(fileURLWithPath: temporary))
    } catch {
      throw FeatureCacheError.unwritable(path: temporary, reason: error.localizedDescription)
    }
    guard rename(temporary, progressFile) == 0 else {
      throw FeatureCacheError.unwritable(
        path: progressFile, reason: String(cString: strerror(errno)))
    }
  }
}
