import Foundation
import GraftIR

/// What a merge wrote, as `graft merge --json` prints it.
public struct FeatureCacheMergeSummary: Sendable, Encodable {
  public var output: String
  /// The merged caches, in the order their rows were written.
  public var inputs: [String]
  public var rows: Int
  public var skipped: Int
}

/// How far a merge has got, reported after each block of rows.
public struct FeatureCacheMergeProgress: Sendable {
  public var rowsDone: Int
  public var rowsTotal: Int
}

/// Why caches cannot be merged, each naming the file at fault.
public enum FeatureCacheMergeError: Error, CustomStringConvertible {
  case noInputs
  /// The output is (the same file as) one of the inputs.
  case outputIsInput(output: String, input: String)
  /// One file given twice, possibly under two names.
  case givenTwice(path: String, first: String)
  /// An unfinished run's `.partial` is where the merged cache would be written.
  case partialExists(output: String)
  /// `path` was made with another `field` (as `FeatureCacheProvenance.mismatch` names it).
  case provenanceMismatch(path: String, reference: String, field: String)
  case featureShape(path: String, layer: String, shape: [Int], reference: String, expected: [Int])
  /// `path` has other label columns (`columns`, none when unlabelled) than `reference`.
  case labelling(path: String, columns: [String], reference: String, expected: [String])
  /// An id found in two inputs: merging would hold its row twice.
  case duplicateID(id: String, first: String, second: String)
  case labelOutOfRange(path: String, row: Int, label: Int64, labelCount: Int)

  public var description: String {
    switch self {
    case .noInputs: "give at least one feature cache to merge"
    case .outputIsInput(let output, let input):
      "the output '\(output)' is the input '\(input)'; write the merged cache to a new file"
    case .givenTwice(let path, let first):
      path == first
        ? "'\(path)' is given twice; give each cache once"
        : "'\(path)' and '\(first)' are the same file; give each cache once"
    case .partialExists(let output):
      "'\(output).partial' holds an unfinished run; finish it (graft extract --resume) or "
        + "delete it before merging into '\(output)'"
    case .provenanceMismatch(let path, let reference, let field):
      "'\(path)' was made with another \(field) than '\(reference)'; only caches of the same "
        + "model, layers, pooling and preprocessing can be merged"
    case .featureShape(let path, let layer, let shape, let reference, let expected):
      "'\(path)' has features of shape \(shape) for layer '\(layer)', '\(reference)' "
        + "\(expected); only caches of the same model and layers can be merged"
    case .labelling(let path, let columns, let reference, let expected):
      "'\(path)' has \(Self.columns(columns)), '\(reference)' has \(Self.columns(expected)); "
        + "only caches with the same label columns (or all unlabelled) can be merged"
    case .duplicateID(let id, let first, let second):
      "id '\(id)' is in both '\(first)' and '\(second)' (the same data or shard given twice?); "
        + "merging would hold its row twice"
    case .labelOutOfRange(let path, let row, let label, let labelCount):
      "'\(path)': row \(row) has label \(label), not an index into its \(labelCount) label names"
    }
  }

  private static func columns(_ names: [String]) -> String {
    names.isEmpty
      ? "no labels" : "label columns \(names.map { "'\($0)'" }.joined(separator: ", "))"
  }
}

/// Joins finished feature caches (typically the `--shard K/N` caches of one run) into one.
///
/// The output holds every input's rows, in input order and each input's rows in order, so the
/// shards of one run given in shard order merge to exactly the unsharded run's cache; its
/// skipped lists are concatenated likewise and `rows_complete` is their sum. It carries the
/// first input's provenance (its `graft_version` included: the version that computed the
/// features) and no `shard` attribute.
///
/// Every input must be finished and made with the same model, layers, pooling, preprocessing
/// and feature dtype, with the same feature shapes, and the same label columns (or none); no id
/// may be in two inputs (the same shard given twice would double its rows), and the output
/// must not be an input. All of this is checked before anything is written; only a label that
/// is not an index into its input's label names is found while copying.
///
/// When the inputs' class names in a label column differ (caches of different folders), the
/// output's are their union, sorted as `graft extract` sorts class names — as strings, or for
/// array data (empty preprocessing) numerically when every name is an integer — and each
/// input's labels are remapped into it. Equal class names are kept as they are.
///
/// Memory is bounded: features are copied in blocks of at most `maxBlockRows` rows and about
/// 64 MB of float32 features, never whole datasets. Finding duplicate ids holds every id once
/// (about 150 bytes each: 150 MB for a million rows), and each input's skipped list is read
/// whole. float16 caches stay float16, bit for bit (widened to float32 on reading, narrowed
/// back exactly on writing). The output is written as `OUT.partial` and renamed when
/// complete; a merge that fails removes the partial file and its sidecar, leaving nothing at
/// `OUT`.
public enum FeatureCacheMerge {
  /// The float32 features of one block, at most.
  static let maxBlockBytes = 64 << 20

  /// Merges the caches `inputs` into a new cache at `output`.
  ///
  /// - Parameters:
  ///   - inputs: finished caches, at least one (one is copied, without its `shard`).
  ///   - output: the cache to write; an existing finished file there is replaced.
  ///   - maxBlockRows: rows copied at a time, at most.
  ///   - progress: called after each block (on the calling thread).
  /// - Throws: `FeatureCacheMergeError` for inputs that cannot be merged or an output that is
  ///   an input or has an unfinished run; `FeatureCacheError` for an input that is not a
  ///   finished cache or an output that cannot be written; `HDF5Error` for unreadable files.
  public static func merge(
    _ inputs: [String], into output: String, maxBlockRows: Int = 4096,
    progress: (FeatureCacheMergeProgress) -> Void = { _ in }
  ) throws -> FeatureCacheMergeSummary {
    precondition(maxBlockRows >= 1, "maxBlockRows must be ≥ 1")
    guard !inputs.isEmpty else { throw FeatureCacheMergeError.noInputs }
    try checkFiles(inputs, output: output)
    let plan = try MergePlan(inputs, blockRows: maxBlockRows)
    var rowsDone = 0
    do {
      let writer = try FeatureCacheWriter(
        path: output, provenance: plan.provenance, layout: plan.layout, resume: false)
      for input in plan.inputs {
        try copy(input, of: plan, to: writer) { rows in
          rowsDone += rows
          progress(FeatureCacheMergeProgress(rowsDone: rowsDone, rowsTotal: plan.rows))
        }
      }
      try writer.finish()
      return FeatureCacheMergeSummary(
        output: output, inputs: inputs, rows: writer.rowsComplete,
        skipped: writer.skippedComplete)
    } catch {
      FeatureCacheWriter.removePartial(output)
      throw error
    }
  }

  /// Refuses an input given twice, an output that is an input, and an unfinished run at the
  /// output, comparing files (device and inode), not names.
  private static func checkFiles(_ inputs: [String], output: String) throws {
    var seen: [FileID: String] = [:]
    for path in inputs {
      guard let id = FileID(path) else { continue }  // reported as missing when opened
      if let first = seen[id] {
        throw FeatureCacheMergeError.givenTwice(path: path, first: first)
      }
      seen[id] = path
    }
    if let id = FileID(output), let input = seen[id] {
      throw FeatureCacheMergeError.outputIsInput(output: output, input: input)
    }
    if FeatureCacheWriter.hasPartial(output) {
      throw FeatureCacheMergeError.partialExists(output: output)
    }
  }

  /// Appends `input`'s rows, block by block with its labels remapped, then its skipped list.
  private static func copy(
    _ input: MergePlan.Input, of plan: MergePlan, to writer: FeatureCacheWriter,
    copied: (Int) -> Void
  ) throws {
    let cache = try FeatureCache(contentsOf: input.path)
    for start in stride(from: 0, to: cache.rows, by: plan.blockRows) {
      let range = start..<min(start + plan.blockRows, cache.rows)
      var features: [String: Tensor] = [:]
      for layer in plan.provenance.layers {
        features[layer] = try cache.features(layer, rows: range)
      }
      let labels = try zip(cache.labels(rows: range), input.labelMaps).map { labels, map in
        try remap(labels, firstRow: start, by: map, of: input.path)
      }
      try writer.append(features: features, ids: try cache.ids(rows: range), labels: labels)
      copied(range.count)
    }
    let skipped = try cache.skipped()
    if !skipped.isEmpty {
      let noRows = [[Int64]](repeating: [], count: plan.layout.labelColumns.count)
      try writer.append(features: [:], ids: [], labels: noRows, skipped: skipped)
    }
  }

  /// `labels` of one column (of rows from `firstRow` on) as indices into the output's class
  /// names of that column by `map`; a missing label stays missing.
  private static func remap(
    _ labels: [Int64], firstRow: Int, by map: [Int64], of path: String
  ) throws -> [Int64] {
    try labels.enumerated().map { offset, label in
      if label == LabelColumn.missing { return label }
      guard label >= 0, label < map.count else {
        throw FeatureCacheMergeError.labelOutOfRange(
          path: path, row: firstRow + offset, label: label, labelCount: map.count)
      }
      return map[Int(label)]
    }
  }
}

/// What a merge will write, from a pass over the inputs that checks them all first.
private struct MergePlan {
  struct Input {
    var path: String
    /// For each label column, each of the input's class indices mapped into the output's.
    var labelMaps: [[Int64]]
  }

  var provenance: FeatureCacheProvenance
  var layout: FeatureCacheLayout
  var inputs: [Input]
  /// Rows of all inputs.
  var rows: Int
  /// Rows copied at a time.
  var blockRows: Int

  init(_ paths: [String], blockRows maxBlockRows: Int) throws {
    let reference = try FeatureCache(contentsOf: paths[0])
    var classes: [[[String]]] = []  // [input][column][class]
    var owners: [String: Int] = [:]
    rows = 0
    for (index, path) in paths.enumerated() {
      let cache = index == 0 ? reference : try FeatureCache(contentsOf: path)
      try Self.check(cache, against: reference)
      try Self.claimIDs(of: cache, index: index, paths: paths, owners: &owners, by: maxBlockRows)
      classes.append(cache.labelColumns.map(\.classes))
      rows += cache.rows
    }
    provenance = reference.provenance
    let shapes = reference.featureShapes
    let columns = reference.labelColumns.indices.map { column in
      LabelColumn(
        name: reference.labelColumns[column].name,
        classes: Self.union(
          classes.map { $0[column] }, numeric: reference.provenance.preprocessing.isEmpty))
    }
    layout = FeatureCacheLayout(
      featureShapes: shapes, labelColumns: columns,
      dataFingerprint: "merge of \(paths.count) caches")
    let indices = columns.map { column in
      Dictionary(uniqueKeysWithValues: column.classes.enumerated().map { ($1, Int64($0)) })
    }
    inputs = zip(paths, classes).map { path, inputClasses in
      Input(
        path: path,
        labelMaps: zip(inputClasses, indices).map { names, index in names.map { index[$0]! } })
    }
    let rowElements = shapes.values.map { $0.reduce(1, *) }.reduce(0, +)
    let rowBytes = max(1, rowElements * MemoryLayout<Float>.size)
    blockRows = min(maxBlockRows, max(1, FeatureCacheMerge.maxBlockBytes / rowBytes))
  }

  /// Refuses `cache` when its features or labelling differ from `reference`'s.
  private static func check(_ cache: FeatureCache, against reference: FeatureCache) throws {
    if let field = cache.provenance.mismatch(with: reference.provenance) {
      throw FeatureCacheMergeError.provenanceMismatch(
        path: cache.path, reference: reference.path, field: field)
    }
    for layer in reference.provenance.layers
    where cache.featureShapes[layer] != reference.featureShapes[layer] {
      throw FeatureCacheMergeError.featureShape(
        path: cache.path, layer: layer, shape: cache.featureShapes[layer] ?? [],
        reference: reference.path, expected: reference.featureShapes[layer] ?? [])
    }
    if cache.labelColumns.map(\.name) != reference.labelColumns.map(\.name) {
      throw FeatureCacheMergeError.labelling(
        path: cache.path, columns: cache.labelColumns.map(\.name), reference: reference.path,
        expected: reference.labelColumns.map(\.name))
    }
  }

  /// Records which input holds each of `cache`'s ids (rows and skipped inputs), refusing an id
  /// that an earlier input holds.
  private static func claimIDs(
    of cache: FeatureCache, index: Int, paths: [String], owners: inout [String: Int],
    by blockRows: Int
  ) throws {
    func claim(_ ids: [String]) throws {
      for id in ids {
        if let owner = owners[id], owner != index {
          throw FeatureCacheMergeError.duplicateID(id: id, first: paths[owner], second: cache.path)
        }
        owners[id] = index
      }
    }
    for start in stride(from: 0, to: cache.rows, by: blockRows) {
      try claim(cache.ids(rows: start..<min(start + blockRows, cache.rows)))
    }
    try claim(cache.skipped().map(\.id))
  }

  /// The inputs' label names joined: the first's when all are equal, else the sorted union
  /// (numerically when `numeric` and every name is an integer, as array labels are sorted).
  private static func union(_ names: [[String]], numeric: Bool) -> [String] {
    guard let first = names.first, names.contains(where: { $0 != first }) else {
      return names.first ?? []
    }
    let all = Set(names.joined())
    guard numeric, all.allSatisfy({ Int64($0) != nil }) else { return all.sorted() }
    return all.sorted { (Int64($0)!, $0) < (Int64($1)!, $1) }
  }
}

/// A file's identity, so that two names of one file compare equal.
private struct FileID: Hashable {
  var device: UInt64
  var inode: UInt64

  /// The identity of the file at `path`; nil when there is none.
  init?(_ path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    (device, inode) = (UInt64(info.st_dev), UInt64(info.st_ino))
  }
}
