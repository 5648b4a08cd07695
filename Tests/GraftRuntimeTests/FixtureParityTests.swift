import Foundation
import GraftData
import GraftIR
import GraftONNX
import Testing

@testable import GraftRuntime

private let repository = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Fixture folders with a model, inputs and onnxruntime outputs, whose ops are all in the IR.
let runnableFixtures: [String] = {
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
  guard let (worst, scale) = actual.difference(from: expected) else {
    Issue.record("\(label): shape \(actual.shape), expected \(expected.shape)")
    return
  }
  #expect(actual.matches(expected), "\(label): max abs difference \(worst), scale \(scale)")
}

/// Runnable fixtures that also record onnxruntime's values at cut points (`cuts.json`).
private let cutFixtures: [String] = runnableFixtures.filter {
  FileManager.default.fileExists(
    atPath: repository.appendingPathComponent("fixtures/onnx/\($0)/cuts.json").path)
}

/// The fixture's graph and its input batch, by graph input name.
func loadFixture(_ fixture: String) throws -> (graph: Graph, inputs: [String: Tensor]) {
  let folder = repository.appendingPathComponent("fixtures/onnx/\(fixture)")
  let model = try ONNXImporter.load(contentsOf: folder.appendingPathComponent("model.onnx").path)
  var inputs: [String: Tensor] = [:]
  for (index, input) in model.graph.inputs.enumerated() {
    inputs[input.name] = try NPY.read(
      contentsOf: folder.appendingPathComponent("input_\(index).npy").path)
  }
  return (model.graph, inputs)
}

/// Runs `graph` on `inputs` and checks each output against the fixture's onnxruntime output
/// (`output_<i>.npy`).
func expectOnnxRuntimeOutputs(_ graph: Graph, inputs: [String: Tensor], fixture: String) throws {
  let folder = repository.appendingPathComponent("fixtures/onnx/\(fixture)")
  let results = try Session(graph: graph, threads: 2).run(inputs)
  for (index, output) in graph.outputs.enumerated() {
    let expected = try NPY.read(
      contentsOf: folder.appendingPathComponent("output_\(index).npy").path)
    expectClose(try #require(results[output.name]), expected, "\(fixture) output '\(output.name)'")
  }
}

/// Graft's outputs on the fixture batch equal onnxruntime's.
@Test(arguments: runnableFixtures)
func outputsMatchOnnxRuntime(fixture: String) throws {
  let (graph, inputs) = try loadFixture(fixture)
  try expectOnnxRuntimeOutputs(graph, inputs: inputs, fixture: fixture)
}

/// A session cut at each recorded cut point, and one cut at all of them together, computes
/// onnxruntime's values of those intermediate tensors (`cut_<i>.npy`, names in `cuts.json`).
@Test(arguments: cutFixtures)
func cutPointsMatchOnnxRuntime(fixture: String) throws {
  let folder = repository.appendingPathComponent("fixtures/onnx/\(fixture)")
  let names = try JSONDecoder().decode(
    [String].self, from: Data(contentsOf: folder.appendingPathComponent("cuts.json")))
  #expect(names.count >= 2, "\(fixture): cuts.json lists \(names.count) cut points")
  let expected = try names.indices.map {
    try NPY.read(contentsOf: folder.appendingPathComponent("cut_\($0).npy").path)
  }
  let (graph, inputs) = try loadFixture(fixture)
  for selection in names.map({ [$0] }) + [names] {
    let session = try Session(graph: graph, outputs: selection, threads: 2)
    #expect(session.graph.outputs.map(\.name) == selection, "\(fixture): cut at \(selection)")
    let results = try session.run(inputs)
    for name in selection {
      let index = try #require(names.firstIndex(of: name))
      expectClose(
        try #require(results[name], "\(fixture): no value '\(name)'"), expected[index],
        "\(fixture) cut \(selection) value '\(name)'")
    }
  }
}
