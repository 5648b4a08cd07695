import Foundation
import GraftIR
import Testing

@testable import GraftONNX

private let supportedFixtures = FixturePaths.onnxModels.filter { $0 != "unsupported_ops" }

/// The passes keep every fixture valid (the verifier re-checks after each) and keep the types of
/// the graph outputs.
@Test(arguments: supportedFixtures)
func passesKeepGraphsValidAndOutputTypesUnchanged(fixture: String) throws {
  let original = try ONNXImporter.load(contentsOf: FixturePaths.onnxModel(fixture)).graph
  var graph = original
  try graph.foldConstants()
  try graph.verify()
  graph.removeIdentities()
  try graph.verify()
  try graph.inferTypes()
  graph.removeDeadNodes()
  try graph.verify()
  #expect(graph.outputs.map(\.name) == original.outputs.map(\.name))
  for output in original.outputs {
    #expect(graph.type(of: output.name) == original.type(of: output.name), "\(output.name)")
  }
  #expect(graph.nodes.count <= original.nodes.count)
}

/// The PyTorch-style flatten chains over a symbolic batch (`Shape → Gather → Unsqueeze → Concat →
/// Reshape` and `Shape → Slice → Concat → Reshape`) fold into Reshapes with constant targets, and
/// Identity and Dropout disappear.
@Test func pytorchShapeChainsFoldAway() throws {
  var graph = try ONNXImporter.load(contentsOf: FixturePaths.onnxModel("torch_style_mlp_chain"))
    .graph
  try graph.foldConstants()
  graph.removeIdentities()
  try graph.inferTypes()
  try graph.verify()
  let remaining = Set(graph.nodes.map(\.opType))
  for gone in [
    "Shape", "Gather", "Unsqueeze", "Concat", "Slice", "Constant", "Identity", "Dropout",
  ] {
    #expect(!remaining.contains(gone), "\(gone) is still in the graph")
  }
  let reshapes = graph.nodes.filter { $0.opType == "Reshape" }
  #expect(reshapes.count == 2)
  for reshape in reshapes {
    let target = try #require(graph.constants[reshape.inputs[1]])
    #expect(target.integers() == [0, -1], "target of \(reshape.name)")
    #expect(graph.type(of: reshape.outputs[0])?.shape?.first == .symbol("N"))
  }
  #expect(graph.outputs.map(\.name) == ["logits", "embedding"])
}
