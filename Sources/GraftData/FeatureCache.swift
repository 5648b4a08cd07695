import Foundation
import GraftHDF5
import GraftIR

/// What a feature cache was made with. A run that resumes or merges caches refuses one made
/// otherwise, so features of different models, layers, pooling or preprocessing are never mixed.
public struct FeatureCacheProvenance: Codable, Equatable, Sendable {
  /// SHA-256 of the model file (and of its `--config` file after a `+`), hex.
  public var modelSHA256: String
  /// The cut layers, in `/features/<layer>` order.
  public var layers: [String]
  /// The preprocessing, as JSON (see `Preprocessing`); empty for array inputs.
  public var preprocessing: String
  /// How spatial maps were reduced to vectors: `avg`, `max` or `none`.
  public var pool: String
  /// The features' element type: float32 or float16.
  public var dtype: DType
  public var graftVersion: String

  public init(
    modelSHA256: String, layers: [String], preprocessing: String, pool: String,
    dtype: DType = .float32, graftVersion: String
  ) {
    self.modelSHA256 = modelSHA256
    self.layers = layers
    self.preprocessing = preprocessing
    self.pool = pool
    self.dtype = dtype
    self.graftVersion = graftVersion
  }

  /// The first field that differs from `other` in what the features mean (the Graft version
  /// may differ), named as errors say it; nil when none does.
  public func mismatch(with other: FeatureCacheProvenance) -> String? {
    if modelSHA256 != other.modelSHA256 { return "model" }
    if layers != other.layers { return "layer set" }
    if preprocessing != other.preprocessing { return "preprocessing" }
    if pool != other.pool { return "pooling" }
    if dtype != other.dtype { return "feature dtype" }
    return nil
  }
}

/// Errors of the feature cache, each naming the file.
public enum FeatureCacheError: Error, CustomStringConvertible {
  /// A cache made with another model, layer set, pooling or preprocessing than required.
  case provenanceMismatch(path: String, field: String)
  /// `--resume` found a partial cache made from other data (another item list, shard or label
  /// columns).
  case dataMismatch(path: String)
  /// A batch does not fit the cache (missing layer, wrong feature shape, row counts that differ).
  case badBatch(path: String, reason: String)
  case unwritable(path: String, reason: String)
  /// Not a complete feature cache: missing datasets or attributes, or rows that disagree.
  case invalid(path: String, reason: String)

  public var description: String {
    switch self {
    case .provenanceMismatch(let path, let field):
      "'\(path)' was made with another \(field); resume or merge only caches made with the same "
        + "model, layers, pooling and preprocessing"
    case .dataMismatch(let path):
      "'\(path)' is a partial cache of other data (another folder, file, shard or label "
        + "columns); resume it with the same DATA, --labels and --shard, or write a new cache"
    case .badBatch(let path, let reason): "'\(path)': \(reason)"
    case .unwritable(let path, let reason): "cannot write '\(path)': \(reason)"
    case .invalid(let path, let reason):
      "'\(path)' is not a complete Graft feature cache: \(reason)"
    }
  }
}

/// A finished feature cache, read back: readable with h5py alone, in this layout:
///
/// - `/features/<layer>`: float32 (or float16) `[N, D…]`, chunked by rows;
/// - `/ids`: strings, each row's image path relative to DATA, or an array row's number;
/// - `/labels`: int64 indices into `/label_names` (the class names, sorted), when labelled;
///   a cache of several label columns holds `/labels/<name>` and `/label_names/<name>` for
///   each instead (see `LabelColumn`), with -1 where a row has no label in a column;
/// - `/skipped/ids` and `/skipped/reasons`: strings, the inputs that could not be read and why;
/// - root attributes `model_sha256`, `layers`, `preprocessing` (JSON), `pool`, `graft_version`
///   and `rows_complete` (N), and `shard` (`K/N`) for a shard's cache.
public final class FeatureCache {
  public let path: String
  public let provenance: FeatureCacheProvenance
  public let rows: Int
  /// Each layer's feature shape after the row dim.
  public let featureShapes: [String: [Int]]
  /// The label columns, in name order; none for unlabelled data.
  public let labelColumns: [LabelColumn]
  /// The cache's `--shard K/N`, nil for an unsharded run.
  public let shard: String?
  private let file: HDF5File

  /// Opens the finished cache at `path` and checks its layout.
  ///
  /// - Throws: `FeatureCacheError.invalid` naming what is missing or inconsistent, or
  ///   `HDF5Error` for a file HDF5 cannot open.
  public init(contentsOf path: String) throws {
    self.path = path
    guard FileManager.default.fileExists(atPath: path) else {
      let partial = FileManager.default.fileExists(atPath: FeatureCacheWriter.partialPath(path))
      throw FeatureCacheError.invalid(
        path: path,
        reason: partial
          ? "only its unfinished '\(FeatureCacheWriter.partialPath(path))' exists; finish it "
            + "with --resume" : "no such file")
    }
    file = try HDF5File(opening: path)
    let root = file.root
    func attribute<T>(_ name: String, _ read: (String) throws -> T) throws -> T {
      guard try root.hasAttribute(name) else {
        throw FeatureCacheError.invalid(path: path, reason: "no '\(name)' attribute")
      }
      return try read(name)
    }
    let layers = try attribute("layers", root.stringArrayAttribute)
    rows = Int(try attribute("rows_complete") { try root.scalarAttribute($0, as: Int64.self) })
    var shapes: [String: [Int]] = [:]
    var dtype = DType.float32
    for layer in layers {
      guard try root.contains("features/\(layer)") else {
        throw FeatureCacheError.invalid(path: path, reason: "no dataset '/features/\(layer)'")
      }
      let dataset = try root.dataset("features/\(layer)")
      let shape = try dataset.shape
      guard shape.first == rows else {
        throw FeatureCacheError.invalid(
          path: path, reason: "'/features/\(layer)' has \(shape.first ?? 0) rows, not \(rows)")
      }
      shapes[layer] = Array(shape.dropFirst())
      dtype = dataset.elementType == .float16 ? .float16 : .float32
    }
    featureShapes = shapes
    provenance = FeatureCacheProvenance(
      modelSHA256: try attribute("model_sha256", root.stringAttribute), layers: layers,
      preprocessing: try attribute("preprocessing", root.stringAttribute),
      pool: try attribute("pool", root.stringAttribute), dtype: dtype,
      graftVersion: try attribute("graft_version", root.stringAttribute))
    labelColumns = try Self.labelColumns(in: root)
    shard = try root.hasAttribute("shard") ? root.stringAttribute("shard") : nil
    for name in ["ids"] + LabelColumn.storage(of: labelColumns).map(\.labels) {
      guard try root.contains(name), try root.dataset(name).shape.first == rows else {
        throw FeatureCacheError.invalid(path: path, reason: "'/\(name)' does not have \(rows) rows")
      }
    }
  }

  /// The label columns stored under `root`: `/labels` as the column `label`, or each dataset
  /// of the group `/labels` with its class names in `/label_names`.
  private static func labelColumns(in root: HDF5Group) throws -> [LabelColumn] {
    switch try root.kind(of: "labels") {
    case nil: return []
    case .group?:
      return try root.group("labels").childNames().map { name in
        LabelColumn(name: name, classes: try root.dataset("label_names/\(name)").readStrings())
      }
    default: return [LabelColumn(classes: try root.dataset("label_names").readStrings())]
    }
  }

  /// Features of `layer` for `rows`, as float32 `[rows.count, D…]` (float16 caches widened).
  public func features(_ layer: String, rows range: Range<Int>) throws -> Tensor {
    guard featureShapes[layer] != nil else {
      throw FeatureCacheError.invalid(
        path: path,
        reason:
          "no layer '\(layer)' (it holds \(provenance.layers.map { "'\($0)'" }.joined(separator: ", ")))"
      )
    }
    let stored = try file.root.dataset("features/\(layer)").readTensor(rows: range)
    guard stored.dtype == .float16 else { return stored }
    return Tensor(stored.elements(as: Float16.self).map(Float.init), shape: stored.shape)
  }

  public func ids(rows range: Range<Int>) throws -> [String] {
    try file.root.dataset("ids").readStrings(rows: range)
  }

  /// The labels of `rows` in each label column (in `labelColumns` order): indices into the
  /// column's classes, or `LabelColumn.missing`.
  public func labels(rows range: Range<Int>) throws -> [[Int64]] {
    try LabelColumn.storage(of: labelColumns).map {
      try file.root.dataset($0.labels).readRows(range, as: Int64.self)
    }
  }

  /// The labels of `rows` in the column named `column`.
  public func labels(_ column: String, rows range: Range<Int>) throws -> [Int64] {
    guard let index = labelColumns.firstIndex(where: { $0.name == column }) else {
      throw LabelColumnError.noSuchColumn(
        path: path, name: column, columns: labelColumns.map(\.name))
    }
    let dataset = LabelColumn.storage(of: labelColumns)[index].labels
    return try file.root.dataset(dataset).readRows(range, as: Int64.self)
  }

  /// The inputs that could not be read, with the reason of each.
  public func skipped() throws -> [(id: String, reason: String)] {
    guard try file.root.contains("skipped/ids") else { return [] }
    let ids = try file.root.dataset("skipped/ids").readStrings()
    let reasons = try file.root.dataset("skipped/reasons").readStrings()
    return Array(zip(ids, reasons))
  }
}
