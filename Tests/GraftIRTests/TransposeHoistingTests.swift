import Testing

@testable import GraftIR

/// `x → Sub(mean[C]) → Div(std[C]) → Mul(scalar) → Transpose to NCHW → Abs`, as a Keras model
/// that normalises its NHWC input before its first layer imports.
private func normalisedInput(transposeReadBy extraReader: Bool = false) throws -> Graph {
  var nodes = [
    Node(name: "sub", op: Sub(), inputs: ["x", "mean"], outputs: ["centred"]),
    Node(name: "div", op: Div(), inputs: ["centred", "std"], outputs: ["scaled"]),
    Node(name: "mul", op: Mul(), inputs: ["half", "scaled"], outputs: ["halved"]),
    Node(name: "to_nchw", op: Transpose(perm: [0, 3, 1, 2]), inputs: ["halved"], outputs: ["t"]),
    Node(name: "abs", op: Abs(), inputs: ["t"], outputs: ["y"]),
  ]
  if extraReader {
    nodes.append(Node(name: "neg", op: Neg(), inputs: ["scaled"], outputs: ["z"]))
  }
  return try typedGraph(
    inputs: ["x": [2, 3, 4, 5]], outputs: extraReader ? ["y", "z"] : ["y"], nodes: nodes,
    constants: [
      "mean": Tensor([Float(0.5), -1, 2, 0, 1], shape: [5]),
      "std": Tensor([Float(2), 0.5, 1, 4, 3], shape: [1, 1, 5]),
      "half": Tensor(scalar: Float(0.5)),
    ])
}

/// The Transpose moves to the input; the chain reads permuted constants and computes the same.
@Test func transposeAfterPreprocessingMovesToTheInput() throws {
  let graph = try normalisedInput()
  var (hoisted, count) = try applying(
    { try $0.hoistTransposesToInputs() }, to: graph,
    inputs: ["x": sample([2, 3, 4, 5], seed: 3)])
  #expect(count == 1)
  #expect(opTypes(hoisted) == ["Transpose", "Sub", "Div", "Mul", "Abs"])
  #expect(hoisted.nodes[0].inputs == ["x"])
  let mean = try #require(hoisted.constants[hoisted.nodes[1].inputs[1]])
  #expect(mean.shape == [1, 5, 1, 1])
  #expect(try hoisted.makeInputsChannelsFirst() == ["x": [0, 3, 1, 2]])
  #expect(opTypes(hoisted) == ["Sub", "Div", "Mul", "Abs"])
}

/// A chain value read elsewhere keeps its layout: nothing moves.
@Test func transposeStaysWhenTheChainIsReadElsewhere() throws {
  var graph = try normalisedInput(transposeReadBy: true)
  #expect(try graph.hoistTransposesToInputs() == 0)
}
