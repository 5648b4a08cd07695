import Testing

@testable import GraftIR

/// An elementwise test op that keeps its input's type, so graph mechanics can be tested alone.
private struct PassThrough: Operator {
  static let opType = "PassThrough"
  func inferTypes(_ context: InferenceContext) throws -> [ValueType] {
    Array(repeating: try context.type(0), count: context.outputCount)
  }
}

private func node(_ name: String, _ inputs: [String], _ outputs: [String]) -> Node {
  Node(name: name, op: PassThrough(), inputs: inputs, outputs: outputs)
}

private let input = ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), 4]))

@Test func topologicalSortRestoresOrderAndKeepsValidOrder() throws {
  var graph = Graph(
    inputs: [input], outputs: [ValueInfo(name: "c", type: .unknown)],
    nodes: [node("n3", ["b"], ["c"]), node("n1", ["x"], ["a"]), node("n2", ["a"], ["b"])])
  try graph.sortTopologically()
  #expect(graph.nodes.map(\.name) == ["n1", "n2", "n3"])
  try graph.sortTopologically()
  #expect(graph.nodes.map(\.name) == ["n1", "n2", "n3"])
}

@Test func cycleIsReportedWithItsNodes() {
  var graph = Graph(
    inputs: [input], outputs: [ValueInfo(name: "b", type: .unknown)],
    nodes: [node("n1", ["x", "b"], ["a"]), node("n2", ["a"], ["b"])])
  #expect {
    try graph.sortTopologically()
  } throws: { error in
    "\(error)".contains("cycle") && "\(error)".contains("'n1'") && "\(error)".contains("'n2'")
  }
}

@Test func undefinedInputNamesNodeAndValue() {
  var graph = Graph(
    inputs: [input], outputs: [ValueInfo(name: "a", type: .unknown)],
    nodes: [node("n1", ["ghost"], ["a"])])
  #expect {
    try graph.sortTopologically()
  } throws: { error in
    "\(error)"
      == "node 'n1' (PassThrough): input 'ghost' is not defined by any node, input or constant"
  }
}

@Test func verifyListsEveryProblem() {
  let graph = Graph(
    inputs: [input], outputs: [ValueInfo(name: "missing", type: .unknown)],
    nodes: [node("n1", ["x"], ["a"]), node("n2", ["x"], ["a"])])
  #expect {
    try graph.verify()
  } throws: { error in
    guard case GraphError.many(let errors) = error else { return false }
    return errors.count == 2 && "\(error)".contains("'a' is already defined")
      && "\(error)".contains("graph output 'missing' is not defined")
  }
}

@Test func inferenceTypesEveryValueAndKeepsDeclaredDims() throws {
  var graph = Graph(
    inputs: [input], outputs: [ValueInfo(name: "b", type: .unknown)],
    nodes: [node("n1", ["x"], ["a"]), node("n2", ["a"], ["b"])])
  try graph.inferTypes()
  #expect(graph.type(of: "b") == ValueType(.float32, [.symbol("N"), 4]))
  #expect(graph.outputs[0].type == ValueType(.float32, [.symbol("N"), 4]))
  #expect(
    Graph.merge(inferred: ValueType(.float32, [.unknown, 3]), declared: ValueType(nil, [5, 3]))
      == ValueType(.float32, [5, 3]))
}

/// A Constant node's value reaches its consumers' inference like an initializer's would: here
/// Resize scales written as a Constant node (PyTorch's `F.interpolate(scale_factor=2)`).
@Test func inferenceSeesTheValuesOfConstantNodes() throws {
  let scales = Tensor([Float(1), 1, 2, 2], shape: [4])
  var graph = Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), 3, 10, 15]))],
    outputs: [ValueInfo(name: "y", type: .unknown)],
    nodes: [
      Node(name: "scales", op: Constant(value: scales), inputs: [], outputs: ["s"]),
      Node(name: "resize", op: Resize(), inputs: ["x", "", "s"], outputs: ["y"]),
    ])
  try graph.inferTypes()
  #expect(graph.type(of: "y") == ValueType(.float32, [.symbol("N"), 3, 20, 30]))
}

@Test func deadNodesConstantsAndInputsArePruned() {
  var graph = Graph(
    inputs: [input, ValueInfo(name: "y", type: .unknown)],
    outputs: [ValueInfo(name: "a", type: .unknown)],
    nodes: [node("n1", ["x"], ["a"]), node("n2", ["y", "w"], ["b"])],
    constants: ["w": Tensor([Float(1)], shape: [1])])
  #expect(graph.removeDeadNodes() == 1)
  #expect(graph.nodes.map(\.name) == ["n1"])
  #expect(graph.constants.isEmpty)
  #expect(graph.inputs.map(\.name) == ["x"])
}

@Test func cutSelectsByValueOrNodeNameAndPrunes() throws {
  var graph = Graph(
    inputs: [input], outputs: [ValueInfo(name: "c", type: .unknown)],
    nodes: [node("n1", ["x"], ["a"]), node("n2", ["a"], ["b"]), node("n3", ["b"], ["c"])])
  try graph.inferTypes()
  let byValue = try graph.cut(at: ["a"])
  #expect(byValue.nodes.map(\.name) == ["n1"])
  #expect(byValue.outputs.map(\.name) == ["a"])
  let byNode = try graph.cut(at: ["n2"])
  #expect(byNode.nodes.map(\.name) == ["n1", "n2"])
  #expect(byNode.outputs[0].type == ValueType(.float32, [.symbol("N"), 4]))
  #expect {
    _ = try graph.cut(at: ["n", "nope"])
  } throws: { error in
    "\(error)".contains("'nope' is neither a value nor a node")
      && "\(error)".contains("did you mean 'n1', 'n2', 'n3'")
  }
}
