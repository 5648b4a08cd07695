import Foundation
import Testing

/// A fresh, empty temporary folder.
private func temporaryFolder() throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "graft-convert-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// `graft convert` turns a Keras file into ONNX, and `--check` compares the two on a random batch
/// and reports every output in JSON.
@Test func convertKerasWithCheck() throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let output = folder.appendingPathComponent("cnn.onnx").path
  let result = try GraftBinary.run([
    "convert", "fixtures/keras/cnn/k2/model.h5", output, "--check", "--json",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let report = try #require(
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  #expect(report["opset"] as? Int == 17)
  let check = try #require(report["check"] as? [[String: Any]])
  #expect(check.map { $0["output"] as? String } == ["logits"])
  #expect(check.allSatisfy { $0["passed"] as? Bool == true })
  let opsAfter = try #require(report["ops_after"] as? [String: Int])
  #expect(opsAfter["BatchNormalization"] == nil, "BatchNormalization is folded: \(opsAfter)")
  #expect(opsAfter["Transpose"] == 1, "only the input's Transpose: \(opsAfter)")
  #expect(FileManager.default.fileExists(atPath: output))
}

/// A Keras file with a Lambda layer fails with the layer named, and leaves no output file.
@Test func convertRefusesUnsupportedKerasContent() throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let output = folder.appendingPathComponent("lambda.onnx").path
  let result = try GraftBinary.run(["convert", "fixtures/keras/bad/k2/lambda.h5", output])
  #expect(result.status == 1)
  #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
  #expect(result.stderr.contains("Lambda"), "\(result.stderr)")
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
}

/// An output path in a folder that does not exist fails with the path named, writing nothing.
@Test func convertRefusesUnwritableOutput() throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let output = folder.appendingPathComponent("missing/model.onnx").path
  let result = try GraftBinary.run(["convert", "fixtures/onnx/mlp/model.onnx", output])
  #expect(result.status == 1)
  #expect(result.stderr.contains("cannot write '\(output)'"), "\(result.stderr)")
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
}

/// A destination that is not .onnx, and an opset outside 13…21, are refused up front.
@Test func convertValidatesItsArguments() throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let keras = try GraftBinary.run([
    "convert", "fixtures/onnx/mlp/model.onnx", folder.appendingPathComponent("m.h5").path,
  ])
  #expect(keras.status != 0)
  #expect(keras.stderr.contains(".onnx"), "\(keras.stderr)")
  let opset = try GraftBinary.run([
    "convert", "fixtures/onnx/mlp/model.onnx", folder.appendingPathComponent("m.onnx").path,
    "--opset", "12",
  ])
  #expect(opset.status == 1)
  #expect(opset.stderr.contains("opset 12"), "\(opset.stderr)")
  #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
}

/// The summary counts the ops of the file written: at opset 13, Gelu (opset 20) is written, and
/// counted, as the ops that compute it.
@Test func convertSummaryCountsTheWrittenOps() throws {
  let folder = try temporaryFolder()
  defer { try? FileManager.default.removeItem(at: folder) }
  let result = try GraftBinary.run([
    "convert", "fixtures/onnx/single_ops_opset20/model.onnx",
    folder.appendingPathComponent("gelu.onnx").path, "--opset", "13", "--json",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let report = try #require(
    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  let opsBefore = try #require(report["ops_before"] as? [String: Int])
  let opsAfter = try #require(report["ops_after"] as? [String: Int])
  #expect(opsBefore["Gelu"] == 2)
  #expect(opsAfter["Gelu"] == nil && opsAfter["Erf"] == 1, "\(opsAfter)")
}
