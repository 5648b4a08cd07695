import Foundation
import GraftData
import GraftIR
import Testing

private let trunk = "fixtures/demo/trunk.h5"
private let demo = "fixtures/demo"

private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-attach-keras-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// Trains a `kind` head on the demo trunk's `conv3` features, max-pooled, in `folder`.
private func trainHead(_ kind: String, in folder: URL) throws -> String {
  let features = folder.appendingPathComponent("feats.h5").path
  let extracted = try GraftBinary.run([
    "extract", trunk, "\(demo)/train.npy", "--labels", "\(demo)/train_labels.npy", "--layer",
    "conv3", "--pool", "max", "-o", features, "--quiet",
  ])
  try #require(extracted.status == 0, "\(extracted.stderr)")
  let head = folder.appendingPathComponent("\(kind).onnx").path
  let trained = try GraftBinary.run([
    "train-head", features, "--head", kind, "--cv", "2", "-o", head,
  ])
  try #require(trained.status == 0, "\(trained.stderr)")
  return head
}

/// The one array `graft run MODEL` writes for the demo's test images.
private func run(_ model: String, in folder: URL) throws -> Tensor? {
  let outputs = folder.appendingPathComponent(UUID().uuidString)
  let result = try GraftBinary.run([
    "run", model, "-i", "pixels=\(demo)/test.npy", "-o", outputs.path, "--threads", "1",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let files = try FileManager.default.contentsOfDirectory(atPath: outputs.path)
  #expect(files.count == 1)
  return try files.first.map { try NPY.read(contentsOf: outputs.appendingPathComponent($0).path) }
}

/// `attach … -o OUT.h5` writes a Keras model that computes what `-o OUT.onnx` computes, for a
/// linear head and an MLP head.
@Test(arguments: ["logistic", "mlp"])
func attachWritesKerasH5(_ kind: String) throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let head = try trainHead(kind, in: folder)
  let keras = folder.appendingPathComponent("attached.h5").path
  let onnx = folder.appendingPathComponent("attached.onnx").path
  for output in [keras, onnx] {
    let attached = try GraftBinary.run(["attach", trunk, head, "-o", output])
    try #require(attached.status == 0, "\(attached.stderr)")
  }
  let inspected = try GraftBinary.run(["inspect", keras])
  #expect(inspected.status == 0 && inspected.stdout.contains("head_dense_0"), "\(inspected)")
  let fromKeras = try run(keras, in: folder)
  let fromONNX = try run(onnx, in: folder)
  #expect(fromKeras != nil && fromKeras!.shape == [747, 2])
  if let fromKeras, let fromONNX {
    #expect(
      fromKeras.matches(fromONNX), "\(String(describing: fromKeras.difference(from: fromONNX)))")
  }
  // The head's description travels in the .h5's `graft.…` attributes, so predict reads it.
  let csv = folder.appendingPathComponent("predictions.csv").path
  let predicted = try GraftBinary.run(["predict", keras, "\(demo)/test.npy", "-o", csv, "--quiet"])
  #expect(predicted.status == 0, "\(predicted.stderr)")
  let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
  #expect(lines.count == 748 && lines.first == "id,label,0,1,error")
}

/// A Keras output for an ONNX trunk, and a head trained on another trunk, are refused with the
/// file named, and nothing is written.
@Test func attachKerasRefusals() throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let head = try trainHead("logistic", in: folder)
  let output = folder.appendingPathComponent("out.h5").path
  let onnxTrunk = try GraftBinary.run(["attach", "fixtures/extract/model.onnx", head, "-o", output])
  #expect(onnxTrunk.status != 0)
  #expect(onnxTrunk.stderr.contains("error: ") && onnxTrunk.stderr.contains("write .onnx"))
  let copy = folder.appendingPathComponent("other.h5").path
  try FileManager.default.copyItem(atPath: trunk, toPath: copy)
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy))
  try handle.seekToEnd()
  try handle.write(contentsOf: Data([0]))
  try handle.close()
  let other = try GraftBinary.run(["attach", copy, head, "-o", output])
  #expect(other.status != 0)
  #expect(other.stderr.contains("another model than '\(copy)'"), "\(other.stderr)")
  #expect(!FileManager.default.fileExists(atPath: output))
  #expect(
    try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy {
      !$0.hasSuffix(".partial")
    })
}
