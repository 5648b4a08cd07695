import Foundation
import GraftData
import GraftIR
import Testing

@testable import GraftRuntime

/// Every runnable ONNX fixture, optimised with every pass, still verifies, keeps its outputs'
/// names and types, and computes onnxruntime's outputs.
@Test(arguments: runnableFixtures)
func optimizedFixturesMatchOnnxRuntime(fixture: String) throws {
  let (original, inputs) = try loadFixture(fixture)
  var graph = original
  let report = try graph.optimize(.all)
  try graph.verify()
  #expect(graph.outputs.map(\.name) == original.outputs.map(\.name))
  for output in original.outputs {
    #expect(graph.type(of: output.name) == original.type(of: output.name), "\(output.name)")
  }
  #expect(report.opsAfter.values.reduce(0, +) == graph.nodes.count)
  if fixture == "mobilenetv3_keras" {
    let producer = graph.producers
    for node in graph.nodes where node.opType == "Transpose" || node.opType == "ReduceMean" {
      let readers = graph.nodes.filter { $0.inputs.contains(node.outputs[0]) }.map(\.opType)
      print("DEBUG", node.opType, node.op, producer[node.inputs[0]].map { graph.nodes[$0].opType } ?? "-", readers)
    }
  }
  print(
    "optimize \(fixture): nodes \(report.opsBefore.values.reduce(0, +)) → \(graph.nodes.count),"
      + " Transpose \(report.opsBefore["Transpose"] ?? 0) → \(report.opsAfter["Transpose"] ?? 0),"
      + " removed \(report.nodesRemoved.filter { $0.value != 0 }), params "
      + "\(report.parametersBefore) → \(report.parametersAfter), rounds \(report.rounds)")
  let results = try Session(graph: graph, threads: 2).run(inputs)
  let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/onnx/\(fixture)")
  for (index, output) in original.outputs.enumerated() {
    let expected = try NPY.read(
      contentsOf: folder.appendingPathComponent("output_\(index).npy").path)
    expectClose(try #require(results[output.name]), expected, "\(fixture) output '\(output.name)'")
  }
}
