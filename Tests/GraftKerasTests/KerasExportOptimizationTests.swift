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
  try expectKerasOutputs(
    graph, inputs: try kerasFixtureInputs(folder, for: model.graph), folder: folder)
}
