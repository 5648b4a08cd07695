import Testing

@testable import GraftIR

/// What tf2onnx makes of `Conv → BatchNormalization → ReLU → ZeroPadding2D → Conv → ReLU` in a
/// channels-last Keras model, with an Identity and a Constant node as exporters leave them:
/// `Identity → Conv → Transpose → Mul → Add → Relu → Pad → Transpose → Conv → Relu`.
private func convertedKerasBlock() throws -> Graph {
  try typedGraph(
    inputs: ["x": [.symbol("N"), 2, 5, 5]], outputs: ["y"],
    nodes: [
      Node(name: "input", op: Identity(), inputs: ["x"], outputs: ["xi"]),
      Node(
        name: "scale_value", op: Constant(value: Tensor([Float(1), 2, 3], shape: [3])),
        inputs: [], outputs: ["s"]),
      Node(name: "conv1", op: Conv(), inputs: ["xi", "w1", "b1"], outputs: ["c1"]),
      Node(name: "to_nhwc", op: Transpose(perm: [0, 2, 3, 1]), inputs: ["c1"], outputs: ["h"]),
      Node(name: "bn_mul", op: Mul(), inputs: ["h", "s"], outputs: ["m"]),
      Node(name: "bn_add", op: Add(), inputs: ["m", "a"], outputs: ["n"]),
      Node(name: "relu", op: Relu(), inputs: ["n"], outputs: ["r"]),
      Node(name: "pad", op: Pad(), inputs: ["r", "pads"], outputs: ["p"]),
      Node(name: "to_nchw", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["p"], outputs: ["q"]),
      Node(name: "conv2", op: Conv(), inputs: ["q", "w2"], outputs: ["c2"]),
      Node(name: "relu2", op: Relu(), inputs: ["c2"], outputs: ["y"]),
    ],
    constants: [
      "w1": sample([3, 2, 1, 1], seed: 1), "b1": sample([3], seed: 2),
      "a": sample([3], seed: 3), "w2": sample([4, 3, 3, 3], seed: 4),
      "pads": Tensor([Int64(0), 1, 1, 0, 0, 0, 0, 0], shape: [8]),
    ])
}

/// Every pass plays its part: the Constant folds, the Identity goes, the Transposes cancel so the
/// Mul and Add reach the Conv they fold into and the Pad the Conv it folds into; the report
/// counts it all.
@Test func theFullPipelineLeavesConvolutionsAndActivations() throws {
  let original = try convertedKerasBlock()
  var graph = original
  let report = try graph.optimize(.all)
  try graph.verify()
  #expect(opTypes(graph) == ["Conv", "Relu", "Conv", "Relu"])
  #expect(graph.outputs.map(\.name) == ["y"])
  #expect(graph.type(of: "y") == original.type(of: "y"))
  #expect((graph.nodes[2].op as? Conv)?.pads == [1, 1, 0, 0])
  #expect(
    report.opsBefore == [
      "Identity": 1, "Constant": 1, "Conv": 2, "Transpose": 2, "Mul": 1, "Add": 1, "Relu": 2,
      "Pad": 1,
    ])
  #expect(report.opsAfter == ["Conv": 2, "Relu": 2])
  #expect(
    report.nodesRemoved == [
      "constant-folding": 1, "identities": 1, "transposes": 2,
      "batchnorm-folding": 2, "pad-folding": 1, "dead-nodes": 0, "reshapes": 0,
    ])
  // w1 6, b1 3, s 3 (the Constant node), a 3, w2 108; the scale and shift end up in w1 and b1.
  #expect(report.parametersBefore == 123)
  #expect(report.parametersAfter == 117)
  #expect(report.rounds == 2)
}

/// Only the selected passes run.
@Test func unselectedPassesDoNotRun() throws {
  var graph = try convertedKerasBlock()
  let report = try graph.optimize([.identityRemoval])
  #expect(report.nodesRemoved == ["identities": 1])
  #expect(report.opsAfter["Transpose"] == 2)
  #expect(report.opsAfter["Constant"] == 1)
  #expect(OptimizationPasses.all.contains([.constantFolding, .batchNormFolding, .padFolding]))
}

/// Each Conv's activation moves right after it when the Conv feeds it alone and its other inputs
/// are constants; an activation with a computed bound stays where it is.
@Test func activationsMoveNextToTheirConvolutions() throws {
  var graph = try typedGraph(
    inputs: ["x": [1, 1, 3, 3], "high": []], outputs: ["y"],
    nodes: [
      Node(name: "conv_a", op: Conv(), inputs: ["x", "w"], outputs: ["ca"]),
      Node(name: "conv_b", op: Conv(), inputs: ["x", "w"], outputs: ["cb"]),
      Node(name: "conv_c", op: Conv(), inputs: ["x", "w"], outputs: ["cc"]),
      Node(name: "relu_a", op: Relu(), inputs: ["ca"], outputs: ["ra"]),
      Node(name: "clip_b", op: Clip(), inputs: ["cb", "zero", "six"], outputs: ["rb"]),
      Node(name: "clip_c", op: Clip(), inputs: ["cc", "", "high"], outputs: ["rc"]),
      Node(name: "sum", op: Sum(), inputs: ["ra", "rb", "rc"], outputs: ["y"]),
    ],
    constants: [
      "w": sample([1, 1, 1, 1], seed: 5), "zero": Tensor(scalar: Float(0)),
      "six": Tensor(scalar: Float(6)),
    ])
  #expect(graph.placeActivationsAfterConvolutions() == 2)
  try graph.verify()
  #expect(
    graph.nodes.map(\.name) == ["conv_a", "relu_a", "conv_b", "clip_b", "conv_c", "clip_c", "sum"])
  #expect(graph.placeActivationsAfterConvolutions() == 0)
}
