import Foundation
import GraftData
import GraftHDF5
import GraftIR
import Testing

private let provenance = FeatureCacheProvenance(
  modelSHA256: "ab12", layers: ["pool", "logits"], preprocessing: "{\"crop\":4}", pool: "avg",
  graftVersion: "test")
private let layout = FeatureCacheLayout(
  featureShapes: ["pool": [3], "logits": [2]],
  labelColumns: [LabelColumn(classes: ["cat", "dog"])],
  dataFingerprint: "d1")

/// Batch `index` of 2 rows: features that say which row they are, ids and labels.
private func batch(_ index: Int) -> (features: [String: Tensor], ids: [String], labels: [Int64]) {
  let rows = [2 * index, 2 * index + 1]
  return (
    [
      "pool": Tensor(rows.flatMap { row in (0..<3).map { Float(row * 10 + $0) } }, shape: [2, 3]),
      "logits": Tensor(rows.flatMap { row in [Float(row), -Float(row)] }, shape: [2, 2]),
    ],
    rows.map { "image_\($0).jpg" }, rows.map { Int64($0 % 2) }
  )
}

private func temporaryCachePath() throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-cache-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.appendingPathComponent("feats.h5").path
}

private func write(batches: Range<Int>, to path: String, resume: Bool, finish: Bool) throws {
  let writer = try FeatureCacheWriter(
    path: path, provenance: provenance, layout: layout, resume: resume)
  #expect(writer.rowsComplete == 2 * batches.lowerBound)
  for index in batches {
    let (features, ids, labels) = batch(index)
    try writer.append(features: features, ids: ids, labels: [labels])
  }
  if finish { try writer.finish() }
}

/// A finished cache has the documented layout: features per layer, ids, labels, label names and
/// the provenance attributes; nothing else is left beside it.
@Test func finishedCacheHasTheDocumentedLayout() throws {
  let path = try temporaryCachePath()
  try write(batches: 0..<3, to: path, resume: false, finish: true)
  let file = try HDF5File(opening: path)
  let pool = try file.root.dataset("features/pool").readTensor()
  #expect(pool.shape == [6, 3])
  #expect(pool.elements(as: Float.self)[15] == 50)
  #expect(try file.root.dataset("features/logits").readTensor().shape == [6, 2])
  #expect(try file.root.dataset("ids").readStrings().last == "image_5.jpg")
  #expect(try file.root.dataset("labels").read(as: Int64.self) == [0, 1, 0, 1, 0, 1])
  #expect(try file.root.dataset("label_names").readStrings() == ["cat", "dog"])
  #expect(try file.root.stringAttribute("model_sha256") == "ab12")
  #expect(try file.root.scalarAttribute("rows_complete", as: Int64.self) == 6)
  let folder = (path as NSString).deletingLastPathComponent
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["feats.h5"])
}

/// A run stopped after two batches (its writer dropped unfinished) resumes from its sidecar and
/// ends with exactly the rows of an uninterrupted run.
@Test func resumedRunEqualsAnUninterruptedOne() throws {
  let whole = try temporaryCachePath()
  try write(batches: 0..<4, to: whole, resume: false, finish: true)
  let resumed = try temporaryCachePath()
  try write(batches: 0..<2, to: resumed, resume: false, finish: false)
  try write(batches: 2..<4, to: resumed, resume: true, finish: true)
  let (a, b) = (try HDF5File(opening: whole), try HDF5File(opening: resumed))
  for name in ["features/pool", "features/logits"] {
    #expect(
      try a.root.dataset(name).readTensor().elements(as: Float.self)
        == b.root.dataset(name).readTensor().elements(as: Float.self))
  }
  #expect(try a.root.dataset("ids").readStrings() == b.root.dataset("ids").readStrings())
}

/// Rows written past the last recorded count (a batch cut off by a kill) are dropped on resume,
/// not kept twice.
@Test func resumeDropsRowsPastTheRecordedCount() throws {
  let path = try temporaryCachePath()
  try write(batches: 0..<2, to: path, resume: false, finish: false)
  let progress = path + ".partial.progress"
  let recorded = try Data(contentsOf: URL(fileURLWithPath: progress))
  try write(batches: 2..<3, to: path, resume: true, finish: false)
  try recorded.write(to: URL(fileURLWithPath: progress))  // as if killed before the sidecar moved
  try write(batches: 2..<3, to: path, resume: true, finish: true)
  let ids = try HDF5File(opening: path).root.dataset("ids").readStrings()
  #expect(ids == (0..<6).map { "image_\($0).jpg" })
}

/// A partial cache made with another model is refused, naming what differs.
@Test func resumeRefusesAnotherModel() throws {
  let path = try temporaryCachePath()
  try write(batches: 0..<1, to: path, resume: false, finish: false)
  var other = provenance
  other.modelSHA256 = "ff00"
  #expect {
    try FeatureCacheWriter(path: path, provenance: other, layout: layout, resume: true)
  } throws: { "\($0)".contains("another model") }
}

/// A partial cache of other inputs (another folder or shard) or other label columns (another
/// CSV header) is refused, not continued.
@Test func resumeRefusesOtherData() throws {
  let path = try temporaryCachePath()
  try write(batches: 0..<1, to: path, resume: false, finish: false)
  var otherInputs = layout
  otherInputs.dataFingerprint = "d2"
  var otherLabels = layout
  otherLabels.labelColumns = [LabelColumn(name: "kind", classes: ["cat", "dog"])]
  for other in [otherInputs, otherLabels] {
    #expect {
      try FeatureCacheWriter(path: path, provenance: provenance, layout: other, resume: true)
    } throws: { "\($0)".contains("other data") }
  }
}

/// Skipped inputs are kept with their reasons and counted with the rows; a float16 cache reads
/// back as float32 through `FeatureCache`, with its provenance.
@Test func skippedInputsAndFloat16FeaturesReadBack() throws {
  let path = try temporaryCachePath()
  var half = provenance
  half.dtype = .float16
  let writer = try FeatureCacheWriter(path: path, provenance: half, layout: layout, resume: false)
  let (features, ids, labels) = batch(0)
  try writer.append(
    features: features, ids: ids, labels: [labels], skipped: [("broken.jpg", "truncated JPEG")])
  #expect(writer.inputsComplete == 3)
  try writer.finish()
  let cache = try FeatureCache(contentsOf: path)
  #expect(cache.provenance == half)
  #expect(cache.rows == 2 && cache.featureShapes == ["pool": [3], "logits": [2]])
  #expect(
    try cache.features("pool", rows: 0..<2).elements(as: Float.self) == [0, 1, 2, 10, 11, 12])
  #expect(try cache.labels(rows: 0..<2) == [[0, 1]])
  #expect(try cache.skipped().map { "\($0.id): \($0.reason)" } == ["broken.jpg: truncated JPEG"])
  #expect(
    try HDF5File(opening: path).root.dataset("features/pool").elementType == .float16)
}

/// An unfinished cache is not taken for a finished one.
@Test func unfinishedCacheIsNotReadable() throws {
  let path = try temporaryCachePath()
  try write(batches: 0..<1, to: path, resume: false, finish: false)
  #expect { try FeatureCache(contentsOf: path) } throws: { "\($0)".contains("--resume") }
}

/// A sidecar write cut off by a kill leaves a temporary file that the resumed run replaces and
/// `finish()` removes: nothing but the cache is left.
@Test func interruptedSidecarWriteLeavesNothingAfterFinish() throws {
  let path = try temporaryCachePath()
  try write(batches: 0..<1, to: path, resume: false, finish: false)
  try Data("{\"rowsCompl".utf8).write(to: URL(fileURLWithPath: path + ".partial.progress.tmp"))
  try write(batches: 1..<2, to: path, resume: true, finish: true)
  let folder = (path as NSString).deletingLastPathComponent
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["feats.h5"])
}
