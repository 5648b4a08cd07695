import Foundation
import GraftData
import GraftIR
import GraftRuntime
import Testing

@testable import GraftKeras

/// Every Keras fixture, imported and optimised with every pass, verifies, keeps its outputs, and
/// computes Keras's outputs; at most one Transpose is left (the NHWC input's, or a Conv1D's over
/// embeddings).
@Test(arguments: fixtureFolders)
func kerasExportOptimizationKeepsKerasOutputs(_ folder: String) throws {
  let (model, _) = try loadKerasFixture(folder)
  var graph = model.graph
  let report = try graph.optimize(.all)
  try graph.verify()
  #expect(graph.outputs.map(\.name) == model.graph.outputs.map(\.name))
  #expect(report.opsAfter["Transpose", default: 0] <= 1, "\(folder): \(report.opsAfter)")
  let directory = kerasFixtureRoot.appendingPathComponent(folder)
  var inputs: [String: Tensor] = [:]
  for (index, input) in model.graph.inputs.enumerated() {
    inputs[input.name] = try NPY.read(
      contentsOf: directory.appendingPathComponent("input_\(index).npy").path)
  }
  let results = try Session(graph: graph, threads: 2).run(inputs)
  for (index, output) in graph.outputs.enumerated() {
    let expected = try NPY.read(
      contentsOf: directory.appendingPathComponent("output_\(index).npy").path)
    expectMatch(results[output.name], expected, "\(folder) output '\(output.name)'")
  }
}
