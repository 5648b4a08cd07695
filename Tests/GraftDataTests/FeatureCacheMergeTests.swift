import Foundation
import GraftData
import GraftHDF5
import GraftIR
import Testing

private let provenance = FeatureCacheProvenance(
  modelSHA256: "ab12", layers: ["pool", "logits"], preprocessing: "{\"crop\":4}", pool: "avg",
  graftVersion: "test")
private let shapes = ["pool": [3], "logits": [2]]
private let classes = ["cat", "dog"]

/// A folder of its own for one test's caches.
private func temporaryFolder() throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-merge-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.path
}

/// Writes a finished cache of rows `rows` (features that say which row they are, not all
/// representable in float16; ids `image_<row>.jpg`; label `row % 2` in each label column), two
/// rows per batch, with `skipped` recorded after the first batch.
private func writeCache(
  _ path: String, rows: Range<Int>, provenance: FeatureCacheProvenance = provenance,
  shapes: [String: [Int]] = shapes, labelNames: [String]? = classes,
  columns: [LabelColumn]? = nil, labels: (Int) -> Int64 = { Int64($0 % 2) },
  skipped: [(id: String, reason: String)] = [], shard: String? = nil, finish: Bool = true
) throws {
  let columns = columns ?? labelNames.map { [LabelColumn(classes: $0)] } ?? []
  let writer = try FeatureCacheWriter(
    path: path, provenance: provenance,
    layout: FeatureCacheLayout(
      featureShapes: shapes, labelColumns: columns, dataFingerprint: "d", shard: shard),
    resume: false)
  for lower in stride(from: rows.lowerBound, to: rows.upperBound, by: 2) {
    let batch = Array(lower..<min(lower + 2, rows.upperBound))
    var features: [String: Tensor] = [:]
    for layer in provenance.layers {
      let size = shapes[layer]!.reduce(1, *)
      features[layer] = Tensor(
        batch.flatMap { row in (0..<size).map { Float(row) + 0.1 * Float($0) + 0.0123 } },
        shape: [batch.count] + shapes[layer]!)
    }
    try writer.append(
      features: features, ids: batch.map { "image_\($0).jpg" },
      labels: columns.map { _ in batch.map(labels) },
      skipped: lower == rows.lowerBound ? skipped : [])
  }
  if finish { try writer.finish() }
}

/// The message of the error `merge` throws; records an issue when it succeeds.
private func mergeError(
  _ inputs: [String], into output: String, sourceLocation: SourceLocation = #_sourceLocation
) -> String {
  do {
    _ = try FeatureCacheMerge.merge(inputs, into: output)
    Issue.record("the merge into '\(output)' succeeded", sourceLocation: sourceLocation)
    return ""
  } catch {
    return "\(error)"
  }
}

/// Every dataset of a cache as stored (float16 kept float16), and its attributes.
private struct StoredCache: Equatable {
  var features: [String: [Float]]
  var featureTypes: [String: HDF5ElementType]
  var ids: [String]
  var labels: [Int64]?
  var labelNames: [String]?
  var skipped: [String]
  var rowsComplete: Int64
  var attributes: [String]

  init(_ path: String) throws {
    let root = try HDF5File(opening: path).root
    (features, featureTypes) = ([:], [:])
    for layer in try root.stringArrayAttribute("layers") {
      let dataset = try root.dataset("features/\(layer)")
      featureTypes[layer] = dataset.elementType
      let tensor = try dataset.readTensor()
      features[layer] =
        tensor.dtype == .float16
        ? tensor.elements(as: Float16.self).map(Float.init) : tensor.elements(as: Float.self)
    }
    ids = try root.dataset("ids").readStrings()
    labels = try root.contains("labels") ? root.dataset("labels").read(as: Int64.self) : nil
    labelNames = try root.contains("label_names") ? root.dataset("label_names").readStrings() : nil
    skipped = zip(
      try root.dataset("skipped/ids").readStrings(),
      try root.dataset("skipped/reasons").readStrings()
    ).map { "\($0): \($1)" }
    rowsComplete = try root.scalarAttribute("rows_complete", as: Int64.self)
    attributes = try root.attributeNames().sorted()
  }
}

/// The shards of a run, merged in shard order (in blocks that cross batch and shard
/// boundaries), equal the unsharded run's cache: features bit for bit in the cache's dtype,
/// ids, labels, label names, skipped inputs, row count; the output has no `shard` attribute.
@Test(arguments: [DType.float32, .float16])
func mergedShardsEqualTheUnshardedCache(dtype: DType) throws {
  let folder = try temporaryFolder()
  var made = provenance
  made.dtype = dtype
  let broken = [(id: "broken.jpg", reason: "truncated JPEG")]
  try writeCache("\(folder)/whole.h5", rows: 0..<7, provenance: made, skipped: broken)
  let slices = [0..<3, 3..<5, 5..<7]
  for (index, rows) in slices.enumerated() {
    try writeCache(
      "\(folder)/shard\(index + 1).h5", rows: rows, provenance: made,
      skipped: index == 0 ? broken : [], shard: "\(index + 1)/3")
  }
  let inputs = (1...3).map { "\(folder)/shard\($0).h5" }
  var reported: [FeatureCacheMergeProgress] = []
  let summary = try FeatureCacheMerge.merge(
    inputs, into: "\(folder)/all.h5", maxBlockRows: 2, progress: { reported.append($0) })
  #expect(summary.output == "\(folder)/all.h5" && summary.inputs == inputs)
  #expect(summary.rows == 7 && summary.skipped == 1)
  #expect(reported.map(\.rowsDone) == [2, 3, 5, 7] && reported.allSatisfy { $0.rowsTotal == 7 })
  let merged = try StoredCache("\(folder)/all.h5")
  #expect(try merged == StoredCache("\(folder)/whole.h5"))
  #expect(merged.featureTypes["pool"] == HDF5ElementType(dtype))
  #expect(!merged.attributes.contains("shard"))
  #expect(try FeatureCache(contentsOf: "\(folder)/all.h5").provenance == made)
}

/// One input is copied, without its `shard` attribute.
@Test func oneInputIsCopiedWithoutItsShard() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/shard.h5", rows: 0..<3, shard: "2/4")
  let summary = try FeatureCacheMerge.merge(["\(folder)/shard.h5"], into: "\(folder)/copy.h5")
  #expect(summary.rows == 3)
  let copy = try FeatureCache(contentsOf: "\(folder)/copy.h5")
  #expect(copy.shard == nil && copy.rows == 3)
  var original = try StoredCache("\(folder)/shard.h5")
  original.attributes.removeAll { $0 == "shard" }
  #expect(try StoredCache("\(folder)/copy.h5") == original)
}

/// Caches whose label names differ merge to the sorted union, each row keeping its class.
@Test func differentLabelNamesMergeToTheirSortedUnion() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<3)  // cat, dog, cat
  try writeCache(
    "\(folder)/b.h5", rows: 3..<6, labelNames: ["bird", "cat"], labels: { $0 == 4 ? 1 : 0 })
  _ = try FeatureCacheMerge.merge(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
  let merged = try FeatureCache(contentsOf: "\(folder)/m.h5")
  let classes = merged.labelColumns[0].classes
  #expect(classes == ["bird", "cat", "dog"])
  let names = try merged.labels("label", rows: 0..<6).map { classes[Int($0)] }
  #expect(names == ["cat", "dog", "cat", "bird", "cat", "bird"])
}

/// Caches of several label columns merge column by column, each to the union of its classes;
/// a missing label stays missing.
@Test func labelColumnsMergeColumnByColumn() throws {
  let folder = try temporaryFolder()
  let kind = LabelColumn(name: "kind", classes: ["cat", "dog"])
  let a = [LabelColumn(name: "colour", classes: ["red"]), kind]
  let b = [LabelColumn(name: "colour", classes: ["blue", "green"]), kind]
  try writeCache("\(folder)/a.h5", rows: 0..<2, columns: a, labels: { $0 == 1 ? -1 : 0 })
  try writeCache("\(folder)/b.h5", rows: 2..<4, columns: b, labels: { Int64($0 % 2) })
  _ = try FeatureCacheMerge.merge(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
  let merged = try FeatureCache(contentsOf: "\(folder)/m.h5")
  #expect(merged.labelColumns.map(\.name) == ["colour", "kind"])
  #expect(merged.labelColumns[0].classes == ["blue", "green", "red"])
  #expect(try merged.labels("colour", rows: 0..<4) == [2, -1, 0, 1])
  #expect(try merged.labels("kind", rows: 0..<4) == [0, -1, 0, 1])
  let file = try HDF5File(opening: "\(folder)/m.h5")
  #expect(try file.root.dataset("label_names/colour").readStrings() == ["blue", "green", "red"])
  #expect(try file.root.dataset("labels/kind").read(as: Int64.self) == [0, -1, 0, 1])
}

/// Integer labels of array data (empty preprocessing) are sorted as numbers, as extraction
/// sorts them, not as strings.
@Test func integerLabelsOfArrayDataMergeInNumericOrder() throws {
  let folder = try temporaryFolder()
  var arrays = provenance
  arrays.preprocessing = ""
  try writeCache("\(folder)/a.h5", rows: 0..<2, provenance: arrays, labelNames: ["2", "10"])
  try writeCache(
    "\(folder)/b.h5", rows: 2..<4, provenance: arrays, labelNames: ["9"], labels: { _ in 0 })
  _ = try FeatureCacheMerge.merge(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
  let merged = try FeatureCache(contentsOf: "\(folder)/m.h5")
  #expect(merged.labelColumns.map(\.classes) == [["2", "9", "10"]])
  #expect(try merged.labels(rows: 0..<4) == [[0, 2, 1, 1]])
}

/// A cache made with another model, layer set, preprocessing, pooling or feature dtype is
/// refused, naming both files and what differs.
@Test(arguments: ["model", "layer set", "preprocessing", "pooling", "feature dtype"])
func anotherProvenanceIsRefused(field: String) throws {
  let folder = try temporaryFolder()
  var other = provenance
  switch field {
  case "model": other.modelSHA256 = "ff00"
  case "layer set": other.layers = ["pool"]
  case "preprocessing": other.preprocessing = "{\"crop\":8}"
  case "pooling": other.pool = "max"
  default: other.dtype = .float16
  }
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  try writeCache("\(folder)/b.h5", rows: 2..<4, provenance: other)
  let message = mergeError(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
  #expect(
    message
      == "'\(folder)/b.h5' was made with another \(field) than '\(folder)/a.h5'; only caches "
      + "of the same model, layers, pooling and preprocessing can be merged")
  #expect(!FileManager.default.fileExists(atPath: "\(folder)/m.h5"))
}

/// Features of another shape for a layer are refused, with both shapes.
@Test func anotherFeatureShapeIsRefused() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  try writeCache("\(folder)/b.h5", rows: 2..<4, shapes: ["pool": [4], "logits": [2]])
  let message = mergeError(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
  #expect(
    message.hasPrefix(
      "'\(folder)/b.h5' has features of shape [4] for layer 'pool', '\(folder)/a.h5' [3]"))
}

/// The same shard given twice (here a copy of it) is refused, naming an id and both files.
@Test func aShardGivenTwiceIsRefused() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/shard1.h5", rows: 0..<2)
  try writeCache("\(folder)/shard2.h5", rows: 2..<4)
  try FileManager.default.copyItem(atPath: "\(folder)/shard1.h5", toPath: "\(folder)/again.h5")
  let inputs = ["shard1", "shard2", "again"].map { "\(folder)/\($0).h5" }
  #expect(
    mergeError(inputs, into: "\(folder)/m.h5").hasPrefix(
      "id 'image_0.jpg' is in both '\(folder)/shard1.h5' and '\(folder)/again.h5'"))
}

/// An id skipped in one input and present in another also means overlapping inputs.
@Test func aSkippedIdInAnotherInputIsRefused() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2, skipped: [("image_2.jpg", "truncated")])
  try writeCache("\(folder)/b.h5", rows: 2..<4)
  #expect(
    mergeError(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5").hasPrefix(
      "id 'image_2.jpg' is in both '\(folder)/a.h5' and '\(folder)/b.h5'"))
}

/// One file given twice, under one name or two, is refused before any row is read.
@Test func oneFileGivenTwiceIsRefused() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  #expect(
    mergeError(["\(folder)/a.h5", "\(folder)/a.h5"], into: "\(folder)/m.h5")
      == "'\(folder)/a.h5' is given twice; give each cache once")
  #expect(
    mergeError(["\(folder)/a.h5", "\(folder)/./a.h5"], into: "\(folder)/m.h5")
      == "'\(folder)/./a.h5' and '\(folder)/a.h5' are the same file; give each cache once")
}

/// An unfinished cache (only its `.partial` exists) is refused with the hint to resume it.
@Test func aPartialInputIsRefused() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  try writeCache("\(folder)/b.h5", rows: 2..<4, finish: false)
  let message = mergeError(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
  #expect(message.hasPrefix("'\(folder)/b.h5' is not a complete Graft feature cache"))
  #expect(message.contains("'\(folder)/b.h5.partial'") && message.contains("--resume"))
}

/// The output may not be an input, by any name; the input is left as it was.
@Test func theOutputMayNotBeAnInput() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  try writeCache("\(folder)/b.h5", rows: 2..<4)
  let before = try StoredCache("\(folder)/b.h5")
  let output = "\(folder)/../\((folder as NSString).lastPathComponent)/b.h5"
  #expect(
    mergeError(["\(folder)/a.h5", "\(folder)/b.h5"], into: output)
      == "the output '\(output)' is the input '\(folder)/b.h5'; write the merged cache to a "
      + "new file")
  #expect(try StoredCache("\(folder)/b.h5") == before)
  #expect(!FileManager.default.fileExists(atPath: "\(folder)/b.h5.partial"))
}

/// An interrupted run at the output is refused and kept, not overwritten.
@Test func anUnfinishedRunAtTheOutputIsKept() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  try writeCache("\(folder)/m.h5", rows: 0..<4, finish: false)
  #expect(
    mergeError(["\(folder)/a.h5"], into: "\(folder)/m.h5").hasPrefix("'\(folder)/m.h5.partial'"))
  #expect(try FeatureCacheWriter.recordedRows("\(folder)/m.h5") == 4)
}

/// Labelled and unlabelled caches are refused together, in either order, and so are caches of
/// other label columns.
@Test func otherLabelColumnsAreRefused() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<2)
  try writeCache("\(folder)/b.h5", rows: 2..<4, labelNames: nil)
  try writeCache(
    "\(folder)/c.h5", rows: 4..<6, columns: [LabelColumn(name: "kind", classes: classes)])
  let (a, b, c, m) = ("\(folder)/a.h5", "\(folder)/b.h5", "\(folder)/c.h5", "\(folder)/m.h5")
  let rule = "only caches with the same label columns (or all unlabelled) can be merged"
  #expect(
    mergeError([a, b], into: m) == "'\(b)' has no labels, '\(a)' has label columns 'label'; \(rule)"
  )
  #expect(
    mergeError([b, a], into: m) == "'\(a)' has label columns 'label', '\(b)' has no labels; \(rule)"
  )
  #expect(
    mergeError([a, c], into: m)
      == "'\(c)' has label columns 'kind', '\(a)' has label columns 'label'; \(rule)")
}

@Test func noInputIsRefused() throws {
  #expect(
    mergeError([], into: "\(try temporaryFolder())/m.h5")
      == "give at least one feature cache to merge")
}

/// A merge that fails while copying (a label that is not an index into its label names)
/// leaves nothing at the output: no cache, no `.partial`, no sidecar.
@Test func aFailedMergeLeavesNothingBehind() throws {
  let folder = try temporaryFolder()
  try writeCache("\(folder)/a.h5", rows: 0..<4)
  try writeCache("\(folder)/b.h5", rows: 4..<6)
  // The writer refuses such a label: the file is damaged after it was written.
  try HDF5File(opening: "\(folder)/b.h5", mode: .readWrite).root.dataset("labels").write(
    [0, 7] as [Int64])
  #expect(
    mergeError(["\(folder)/a.h5", "\(folder)/b.h5"], into: "\(folder)/m.h5")
      == "'\(folder)/b.h5': row 1 has label 7, not an index into its 2 label names")
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["a.h5", "b.h5"])
}
