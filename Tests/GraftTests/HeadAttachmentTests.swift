import Foundation
import Graft
import Testing

private let fixture = ConversionFixture.repository.appendingPathComponent("fixtures/extract")
private let trunkPath = fixture.appendingPathComponent("model.onnx").path

private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-attach-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// A two-layer head (16 → 5, ReLU, 5 → 3) with seeded weights, a standardisation and a
/// temperature, so that every folding the export does is exercised.
private func seededHead() -> FittedHead {
  var random = SplitMix64(seed: 11)
  func values(_ count: Int, _ range: ClosedRange<Float>) -> [Float] {
    (0..<count).map { _ in Float.random(in: range, using: &random) }
  }
  return FittedHead(
    mean: values(16, -0.5...0.5), scale: values(16, 0.5...2),
    layers: [
      .init(weights: values(80, -1...1), bias: values(5, -1...1), inputs: 16, outputs: 5),
      .init(weights: values(15, -1...1), bias: values(3, -1...1), inputs: 5, outputs: 3),
    ], temperature: 1.5)
}

/// Rows of `id,label,p…,error` as id → probabilities.
private func readPredictions(_ path: String) throws -> [String: [Float]] {
  let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
  #expect(lines.first == "id,label,cat,dog,fish,error")
  var result: [String: [Float]] = [:]
  for line in lines.dropFirst() {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
    result[String(fields[0])] = fields[2..<5].compactMap { Float($0) }
  }
  return result
}

/// A head attached to its trunk gives, on images, the probabilities the head gives on the
/// images' cached features, within 1e-4; `predict` with trunk and head gives the same.
@Test func attachedModelEqualsHeadOnCachedFeatures() throws {
  let folder = try temporaryFolder()
  let cachePath = folder.appendingPathComponent("feats.h5").path
  _ = try extractFeatures(
    ExtractionOptions(
      model: trunkPath, data: fixture.appendingPathComponent("images").path, layers: ["block2"],
      output: cachePath, preprocessing: PreprocessingOptions(preset: .torch)))
  let cache = try FeatureCache(contentsOf: cachePath)
  let head = seededHead()
  let headPath = folder.appendingPathComponent("head.onnx").path
  try saveHead(
    head,
    description: HeadDescription(
      kind: "mlp", labelNames: cache.labelColumns[0].classes, layer: "block2", pool: "avg",
      featureCount: 16,
      trunkSHA256: cache.provenance.modelSHA256, preprocessing: cache.provenance.preprocessing),
    to: headPath)
  let features = try cache.features("block2", rows: 0..<cache.rows)
  let onFeatures = try Session(graph: head.graph()).run([FittedHead.inputName: features])[
    FittedHead.outputName]!.elements(as: Float.self)
  let ids = try cache.ids(rows: 0..<cache.rows)

  let attachedPath = folder.appendingPathComponent("attached.onnx").path
  let attached = try attachHead(
    trunk: try loadModel(trunkPath), trunkPath: trunkPath, head: try loadModel(headPath),
    headPath: headPath)
  try ONNXExporter.write(attached, to: attachedPath)
  for (model, headFile) in [(attachedPath, nil), (trunkPath, headPath)] {
    let csv = folder.appendingPathComponent("predictions.csv").path
    let summary = try predict(
      PredictionOptions(
        model: model, head: headFile, data: fixture.appendingPathComponent("images").path,
        output: csv))
    #expect(summary.rows == 8)
    let predictions = try readPredictions(csv)
    for (row, id) in ids.enumerated() {
      let expected = onFeatures[(row * 3)..<(row * 3 + 3)]
      let actual = predictions[id] ?? []
      let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 1
      #expect(actual.count == 3 && worst <= 1e-4, "\(model) \(id): \(worst)")
    }
  }
}

/// A head is refused on a layer of another width and on another trunk.
@Test func attachRefusesAnotherWidthOrTrunk() throws {
  let folder = try temporaryFolder()
  let headPath = folder.appendingPathComponent("head.onnx").path
  let trunkSHA = try Digest.sha256(ofFiles: [trunkPath])
  try saveHead(
    seededHead(),
    description: HeadDescription(
      kind: "mlp", labelNames: ["a", "b", "c"], layer: "logits", pool: "avg", featureCount: 16,
      trunkSHA256: trunkSHA, preprocessing: ""),
    to: headPath)
  let trunk = try loadModel(trunkPath)
  #expect {
    try attachHead(
      trunk: trunk, trunkPath: trunkPath, head: try loadModel(headPath), headPath: headPath)
  } throws: { "\($0)".contains("takes 16 features per row, but layer 'logits' gives 10") }
  let other = ConversionFixture.repository.appendingPathComponent(
    "fixtures/onnx/convtranspose_resize/model.onnx"
  ).path
  #expect {
    try attachHead(
      trunk: try loadModel(other), trunkPath: other, head: try loadModel(headPath),
      headPath: headPath)
  } throws: { "\($0)".contains("another model") }
}

/// Features with a NaN are refused, naming the row and its id.
@Test func nonFiniteFeaturesAreRefused() throws {
  let folder = try temporaryFolder()
  let cachePath = folder.appendingPathComponent("feats.h5").path
  let writer = try FeatureCacheWriter(
    path: cachePath,
    provenance: FeatureCacheProvenance(
      modelSHA256: "00", layers: ["f"], preprocessing: "", pool: "none", graftVersion: "test"),
    layout: FeatureCacheLayout(
      featureShapes: ["f": [2]], labelColumns: [LabelColumn(classes: ["a", "b"])],
      dataFingerprint: "x"),
    resume: false)
  try writer.append(
    features: ["f": Tensor([0, 1, 1, 0, 2, .nan, 3, 1] as [Float], shape: [4, 2])],
    ids: ["p", "q", "r", "s"], labels: [[0, 1, 0, 1]])
  try writer.finish()
  #expect {
    try trainHead(
      HeadTrainingOptions(
        features: cachePath, output: folder.appendingPathComponent("h.onnx").path, folds: 2))
  } throws: { "\($0)".contains("row 2 ('r') has a feature that is NaN or infinite") }
}

/// Every head kind trains to the same bits with 1 and 2 threads, and again under the same seed.
@Test(arguments: HeadKind.allCases)
func headsAreBitIdenticalWhateverTheThreadCount(kind: HeadKind) throws {
  let folder = try temporaryFolder()
  let cachePath = folder.appendingPathComponent("feats.h5").path
  _ = try extractFeatures(
    ExtractionOptions(
      model: trunkPath, data: fixture.appendingPathComponent("images").path,
      layers: ["block2"], output: cachePath, preprocessing: PreprocessingOptions(preset: .torch)))
  var constants: [[String: [Float]]] = []
  for threads in [1, 2, 2] {
    let output = folder.appendingPathComponent("head_\(threads).onnx").path
    _ = try trainHead(
      HeadTrainingOptions(
        features: cachePath, output: output, kind: kind, folds: 2, seed: 7, threads: threads,
        hiddenLayers: [16]))
    constants.append(
      try loadModel(output).graph.constants.mapValues { $0.elements(as: Float.self) })
  }
  #expect(!constants[0].isEmpty && constants[0] == constants[1] && constants[1] == constants[2])
}
