import Testing

@testable import GraftIR

/// `GlobalAveragePool → Flatten → Reshape` back to `[N, C, 1, 1]` (a Keras squeeze-and-excite
/// block's pooling) gives the pooled value back: both reshaping steps go.
@Test func reshapeChainBackToItsInputShapeIsRemoved() throws {
  var graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 4, 3, 3]], outputs: ["y"],
    nodes: [
      Node(name: "gap", op: GlobalAveragePool(), inputs: ["x"], outputs: ["pooled"]),
      Node(name: "flatten", op: Flatten(axis: 1), inputs: ["pooled"], outputs: ["flat"]),
      Node(name: "reshape", op: Reshape(), inputs: ["flat", "shape"], outputs: ["back"]),
      Node(name: "sigmoid", op: Sigmoid(), inputs: ["back"], outputs: ["y"]),
    ],
    constants: ["shape": Tensor([Int64(-1), 4, 1, 1], shape: [4])])
  let before = graph.type(of: "y")
  #expect(try graph.collapseReshapeChains() == 1)
  graph.removeIdentities()
  try graph.verify()
  #expect(opTypes(graph) == ["GlobalAveragePool", "Sigmoid"])
  #expect(graph.type(of: "y") == before)
}

/// Two reshaping steps to a new shape become one Reshape of the first one's input, computing the
/// same values.
@Test func reshapeChainBecomesOneReshape() throws {
  let nodes = [
    Node(name: "flatten", op: Flatten(axis: 1), inputs: ["x"], outputs: ["flat"]),
    Node(name: "unsqueeze", op: Unsqueeze(), inputs: ["flat", "axes"], outputs: ["y"]),
  ]
  let constants = ["axes": Tensor([Int64(2)], shape: [1])]
  let graph = try typedGraph(
    inputs: ["x": [.symbol("N"), 2, 3]], outputs: ["y"], nodes: nodes, constants: constants)
  let (collapsed, count) = try applying({ try $0.collapseReshapeChains() }, to: graph)
  #expect(count == 1)
  #expect(opTypes(collapsed) == ["Reshape"])
  #expect(collapsed.nodes[0].inputs[0] == "x")
  #expect(collapsed.constants[collapsed.nodes[0].inputs[1]]?.integers() == [0, 6, 1])
  let fixed = try typedGraph(
    inputs: ["x": [2, 2, 3]], outputs: ["y"], nodes: nodes, constants: constants)
  _ = try applying(
    { try $0.collapseReshapeChains() }, to: fixed, inputs: ["x": sample([2, 2, 3], seed: 9)])
}
