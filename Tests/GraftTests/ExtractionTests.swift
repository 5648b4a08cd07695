import Foundation
import Graft
import Testing

/// `fixtures/extract`: a tiny CNN, 8 images in 3 classes, an array input, and the features the
/// reference pipeline (`tools/reference_extract.py`: Pillow, onnxruntime, numpy) computed.
private let fixture = ConversionFixture.repository.appendingPathComponent("fixtures/extract")
private func fixturePath(_ name: String) -> String { fixture.appendingPathComponent(name).path }

/// Images the preprocessing only crops (37 = round(32 / 0.875) on the shorter side): their
/// features are held to 1e-4, those of resized images to 1e-3 (Pillow's 8-bit resampling
/// rounds each pass, so a pixel may differ by one level).
private let unresized: Set<String> = ["dog/square37.png", "dog/wide37.jpg"]

private func temporaryCache() throws -> String {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-extraction-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder.appendingPathComponent("feats.h5").path
}

private func extract(
  _ data: String, layers: [String], pool: FeaturePooling = .avg, dtype: DType = .float32,
  shard: (Int, Int)? = nil, batch: Int = 3
) throws -> FeatureCache {
  let output = try temporaryCache()
  _ = try extractFeatures(
    ExtractionOptions(
      model: fixturePath("model.onnx"), data: data, layers: layers, output: output,
      preprocessing: PreprocessingOptions(preset: .torch), pool: pool, dtype: dtype,
      batchSize: batch, threads: 2, shard: shard))
  return try FeatureCache(contentsOf: output)
}

/// Each row of `layer` within tolerance · max(1, max |reference row|) of the reference rows.
private func expectFeatures(
  _ cache: FeatureCache, _ layer: String, equal referenceFile: String, ids: [String],
  tolerance: (String) -> Double
) throws {
  let reference = try NPY.read(contentsOf: fixturePath(referenceFile))
  let actual = try cache.features(layer, rows: 0..<cache.rows)
  #expect(actual.shape == reference.shape)
  let rowSize = reference.count / reference.shape[0]
  let (a, r) = (actual.elements(as: Float.self), reference.elements(as: Float.self))
  for (row, id) in ids.enumerated() {
    let slice = (row * rowSize)..<((row + 1) * rowSize)
    let scale = max(1, r[slice].map(abs).max() ?? 0)
    let worst = zip(a[slice], r[slice]).map { abs($0 - $1) }.max() ?? 0
    #expect(Double(worst) <= tolerance(id) * Double(scale), "\(layer) \(id): \(worst)")
  }
}

private let expectedIds =
  (try? String(contentsOfFile: fixturePath("expected_ids.txt"), encoding: .utf8))?
  .split(separator: "\n").map(String.init) ?? []

/// Features of the fixture folder equal the reference pipeline's for every pooling, with the
/// documented ids, labels and label names.
@Test(arguments: [FeaturePooling.avg, .max, .none])
func imageFeaturesEqualTheReferencePipeline(pool: FeaturePooling) throws {
  let cache = try extract(fixturePath("images"), layers: ["block2", "logits"], pool: pool)
  #expect(cache.rows == 8 && expectedIds.count == 8)
  #expect(try cache.ids(rows: 0..<8) == expectedIds)
  #expect(cache.labelColumns == [LabelColumn(classes: ["cat", "dog", "fish"])])
  let labels = try NPY.read(contentsOf: fixturePath("expected_labels.npy"))
  #expect(try cache.labels("label", rows: 0..<8) == labels.elements(as: Int64.self))
  let tolerance = { (id: String) in unresized.contains(id) ? 1e-4 : 1e-3 }
  try expectFeatures(
    cache, "block2", equal: "expected_block2_\(pool.rawValue).npy", ids: expectedIds,
    tolerance: tolerance)
  try expectFeatures(
    cache, "logits", equal: "expected_logits.npy", ids: expectedIds, tolerance: tolerance)
  #expect(cache.provenance.pool == pool.rawValue)
  #expect(cache.provenance.modelSHA256.count == 64)
}

/// A `path,label` CSV of the same images gives the same rows and features.
@Test func csvListGivesTheSameFeatures() throws {
  let cache = try extract(fixturePath("images.csv"), layers: ["logits"])
  #expect(try cache.ids(rows: 0..<cache.rows) == expectedIds.map { "images/" + $0 })
  try expectFeatures(
    cache, "logits", equal: "expected_logits.npy", ids: expectedIds,
    tolerance: { unresized.contains($0) ? 1e-4 : 1e-3 })
}

/// Array rows go to the model as they are: features within 1e-4, ids the row numbers.
@Test func arrayFeaturesEqualTheReference() throws {
  let cache = try extract(fixturePath("arrays.npy"), layers: ["logits"], batch: 2)
  #expect(try cache.ids(rows: 0..<3) == ["0", "1", "2"])
  #expect(cache.labelColumns.isEmpty && cache.provenance.preprocessing.isEmpty)
  try expectFeatures(
    cache, "logits", equal: "expected_arrays_logits.npy", ids: ["0", "1", "2"],
    tolerance: { _ in 1e-4 })
}

/// A float16 cache holds the float32 features rounded to half precision.
@Test func float16CacheHoldsRoundedFeatures() throws {
  let full = try extract(fixturePath("images"), layers: ["block2"])
  let half = try extract(fixturePath("images"), layers: ["block2"], dtype: .float16)
  #expect(half.provenance.dtype == .float16)
  let rounded = try full.features("block2", rows: 0..<8).elements(as: Float.self)
    .map { Float(Float16($0)) }
  #expect(try half.features("block2", rows: 0..<8).elements(as: Float.self) == rounded)
}

/// The three shards of a run, merged in order, equal the unsharded run.
@Test func mergedShardsEqualTheUnshardedRun() throws {
  let whole = try extract(fixturePath("images"), layers: ["block2", "logits"])
  let shards = try (1...3).map {
    try extract(fixturePath("images"), layers: ["block2", "logits"], shard: ($0, 3)).path
  }
  #expect(try shards.map { try FeatureCache(contentsOf: $0).shard } == ["1/3", "2/3", "3/3"])
  let merged = try temporaryCache()
  _ = try FeatureCacheMerge.merge(shards, into: merged)
  let cache = try FeatureCache(contentsOf: merged)
  #expect(cache.rows == whole.rows && cache.provenance == whole.provenance)
  for layer in ["block2", "logits"] {
    #expect(
      try cache.features(layer, rows: 0..<8).elements(as: Float.self)
        == whole.features(layer, rows: 0..<8).elements(as: Float.self))
  }
  #expect(try cache.ids(rows: 0..<8) == whole.ids(rows: 0..<8))
  #expect(try cache.labels(rows: 0..<8) == whole.labels(rows: 0..<8))
}

/// Batches in which every image is skipped still count: rows + skipped = inputs, even at 0 rows.
@Test func batchesOfOnlyUnreadableImagesAreRecorded() throws {
  let root = URL(fileURLWithPath: try temporaryCache()).deletingLastPathComponent()
    .appendingPathComponent("images/broken")
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let images = ConversionFixture.repository.appendingPathComponent("fixtures/images")
  for name in ["truncated.jpg", "not_an_image.jpg", "bad_crc.png"] {
    try FileManager.default.copyItem(
      at: images.appendingPathComponent(name), to: root.appendingPathComponent(name))
  }
  let cache = try extract(root.deletingLastPathComponent().path, layers: ["logits"], batch: 1)
  #expect(cache.rows == 0 && cache.labelColumns.map(\.classes) == [["broken"]])
  #expect(
    try cache.skipped().map(\.id)
      == ["broken/bad_crc.png", "broken/not_an_image.jpg", "broken/truncated.jpg"])
}

/// `--resume` on a finished cache of the same run does nothing; made otherwise, it is refused.
@Test func resumingAFinishedCacheDoesNothing() throws {
  let output = try temporaryCache()
  func run(pool: FeaturePooling) throws -> ExtractionSummary {
    try extractFeatures(
      ExtractionOptions(
        model: fixturePath("model.onnx"), data: fixturePath("images"), layers: ["block2"],
        output: output, preprocessing: PreprocessingOptions(preset: .torch), pool: pool,
        resume: true))
  }
  let first = try run(pool: .avg)
  #expect(first.rows == 8 && first.resumedFrom == 0)
  let again = try run(pool: .avg)
  #expect(again.rows == 8 && again.resumedFrom == 8 && again.seconds == 0)
  #expect(throws: FeatureCacheError.self) { try run(pool: .max) }
}
