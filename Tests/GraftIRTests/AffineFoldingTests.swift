import Testing

@testable import GraftIR

/// A Conv followed by per-channel Mul and Add (a BatchNormalization as tf2onnx writes it after a
/// depthwise convolution) becomes one Conv with scaled filters and a shifted bias.
@Test func perChannelMulAndAddFoldIntoTheConv() throws {
  var graph = Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, [.symbol("N"), 2, 4, 4]))],
    outputs: [ValueInfo(name: "z", type: .unknown)],
    nodes: [
      Node(name: "conv", op: Conv(group: 2), inputs: ["x", "w", "b"], outputs: ["y"]),
      Node(name: "scale", op: Mul(), inputs: ["y", "s"], outputs: ["ys"]),
      Node(name: "shift", op: Add(), inputs: ["a", "ys"], outputs: ["z"]),
    ],
    constants: [
      "w": Tensor([Float(1), 2, 3, 4, 5, 6, 7, 8], shape: [2, 1, 2, 2]),
      "b": Tensor([Float(0.5), -1], shape: [2]),
      "s": Tensor([Float(2), 10], shape: [1, 2, 1, 1]),
      "a": Tensor([Float(1), 3], shape: [2, 1, 1]),
    ])
  try graph.inferTypes()
  #expect(try graph.foldAffineIntoConvolutions() == 2)
  try graph.verify()
  #expect(graph.nodes.map(\.opType) == ["Conv"])
  #expect(graph.nodes[0].outputs == ["z"])
  let conv = graph.nodes[0]
  #expect(
    graph.constants[conv.inputs[1]]!.elements(as: Float.self) == [2, 4, 6, 8, 50, 60, 70, 80])
  // B·s + a = [0.5·2 + 1, −1·10 + 3].
  #expect(graph.constants[conv.inputs[2]]!.elements(as: Float.self) == [2, -7])
  #expect(graph.type(of: "z") == ValueType(.float32, [.symbol("N"), 2, 3, 3]))
}

/// A factor that varies along a spatial axis, or a Conv output read twice, is left alone.
@Test func nonChannelFactorsAndSharedOutputsStay() throws {
  var graph = Graph(
    inputs: [ValueInfo(name: "x", type: ValueType(.float32, [1, 1, 3, 3]))],
    outputs: [ValueInfo(name: "z", type: .unknown), ValueInfo(name: "y", type: .unknown)],
    nodes: [
      Node(name: "conv", op: Conv(), inputs: ["x", "w"], outputs: ["y"]),
      Node(name: "scale", op: Mul(), inputs: ["y", "s"], outputs: ["z"]),
    ],
    constants: [
      "w": Tensor([Float(1)], shape: [1, 1, 1, 1]),
      "s": Tensor([Float(1), 2, 3], shape: [1, 1, 1, 3]),
    ])
  try graph.inferTypes()
  #expect(try graph.foldAffineIntoConvolutions() == 0)
  #expect(graph.nodes.count == 2)
}
