import Foundation
import GraftData
import GraftIR
import GraftONNX
import Testing

@testable import GraftRuntime

private let repository = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Fixture folders with a model, inputs and onnxruntime outputs, whose ops are all in the IR.
private let runnableFixtures: [String] = {
  let root = repository.appendingPathComponent("fixtures/onnx")
  let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
  return names.sorted().filter {
    $0 != "unsupported_ops"
      && FileManager.default.fileExists(
        atPath: root.appendingPathComponent("\($0)/output_0.npy").path)
  }
}()

/// Max |actual − expected| ≤ 1e-4 · max(1, max |expected|) for floats; equality otherwise.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ label: String) {
  #expect(actual.dtype == expected.dtype, "\(label): dtype")
  #expect(actual.shape == expected.shape, "\(label): shape \(actual.shape) vs \(expected.shape)")
  guard actual.shape == expected.shape else { return }
  let a = actual.doubles()
  let e = expected.doubles()
  if expected.dtype.isFloatingPoint {
    let scale = max(1, e.map(abs).max() ?? 0)
    let worst = zip(a, e).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-4 * scale, "\(label): max abs difference \(worst), scale \(scale)")
  } else {
    #expect(a == e, "\(label): values differ")
  }
}

/// Graft's outputs on the fixture batch equal onnxruntime's.
@Test(arguments: runnableFixtures)
func outputsMatchOnnxRuntime(fixture: String) throws {
  let folder = repository.appendingPathComponent("fixtures/onnx/\(fixture)")
  let model = try ONNXImporter.load(contentsOf: folder.appendingPathComponent("model.onnx").path)
  let session = try Session(graph: model.graph, threads: 2)
  var inputs: [String: Tensor] = [:]
  for (index, input) in model.graph.inputs.enumerated() {
    inputs[input.name] = try NPY.read(
      contentsOf: folder.appendingPathComponent("input_\(index).npy").path)
  }
  let results = try session.run(inputs)
  for (index, output) in model.graph.outputs.enumerated() {
    let expected = try NPY.read(
      contentsOf: folder.appendingPathComponent("output_\(index).npy").path)
    expectClose(try #require(results[output.name]), expected, "\(fixture) output '\(output.name)'")
  }
}
